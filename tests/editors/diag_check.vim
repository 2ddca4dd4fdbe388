" Checks the Vim side of goc diagnostics in batch mode (diag_check.sh):
" :make with compiler goc fills the quickfix list, and ALE's handler turns
" goc's JSON lines ($GOC_JSON) into ALE items.  Writes one line per item,
" "lnum:col:type:text", to $GOC_CHECK_OUT.
set nocompatible
filetype plugin on
syntax on
silent edit
let s:out = ['filetype ' . &filetype, 'compiler ' . get(b:, 'current_compiler', get(g:, 'current_compiler', ''))]
silent make
for s:q in getqflist()
  if s:q.valid
    call add(s:out, printf('qf %d:%d:%s:%s', s:q.lnum, s:q.col, s:q.type, s:q.text))
  endif
endfor
for s:a in goc#ale#Handle(bufnr('%'), readfile($GOC_JSON))
  call add(s:out, printf('ale %d:%d:%s:%s', s:a.lnum, get(s:a, 'col', 0), s:a.type, s:a.text))
endfor
call writefile(s:out, $GOC_CHECK_OUT)
qall!
