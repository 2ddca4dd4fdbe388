" ALE itself (Debian's vim-ale) running goc's linter in batch mode
" (diag_check.sh): lint the file, wait for the job, write ALE's list as
" "ale-real lnum:col:type:text" lines to $GOC_CHECK_OUT.
let g:ale_linters = {'goc': ['goc']}
runtime! plugin/ale.vim
filetype plugin on
syntax on
silent edit
call ale#Queue(0, 'lint_file')
let s:n = 0
while s:n < 3 || (s:n < 100 && ale#engine#IsCheckingBuffer(bufnr('')))
  sleep 100m
  let s:n += 1
endwhile
let s:out = []
for s:a in ale#engine#GetLoclist(bufnr(''))
  call add(s:out, printf('ale-real %d:%d:%s:%s:%s', s:a.lnum, s:a.col, s:a.type,
        \ s:a.linter_name, s:a.text))
endfor
call writefile(s:out, $GOC_CHECK_OUT)
qall!
