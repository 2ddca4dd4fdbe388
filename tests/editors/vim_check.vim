" Checks goc's Vim syntax file in batch mode (run by vim_check.sh).
" $GOC_CHECK_MODE: "fixture" reads the //~ caret expectations of the file;
" "sample" demands that every go, chan, select {, make(chan and <- outside
" comments and strings has its goc group.  Failures go to $GOC_CHECK_OUT.
set nocompatible
filetype plugin on
syntax on
silent edit

let s:kinds = {'gocGo': 'go', 'gocChan': 'chan', 'gocSelect': 'select',
      \ 'gocMake': 'make', 'gocArrow': 'arrow'}
let s:fail = []
let s:checked = 0

function! s:Kind(l, c) abort
  return get(s:kinds, synIDattr(synID(a:l, a:c, 1), 'name'), '-')
endfunction

function! s:Expect(l, c, want) abort
  let s:checked += 1
  let l:got = s:Kind(a:l, a:c)
  if l:got !=# a:want
    call add(s:fail, printf('%s:%d:%d: want %s, got %s (%s)', expand('%'),
          \ a:l, a:c, a:want, l:got, synIDattr(synID(a:l, a:c, 1), 'name')))
  endif
endfunction

" //~ lines: carets under the previous source line's characters.
function! s:CheckFixture() abort
  let l:src = 0
  for l:l in range(1, line('$'))
    let l:text = getline(l:l)
    if l:text !~# '^//\~'
      let l:src = l:l
      continue
    endif
    let l:want = matchstr(l:text, '\S\+$')
    let l:c = 1
    while l:c <= len(l:text)
      if l:text[l:c - 1] ==# '^'
        call s:Expect(l:src, l:c, l:want)
      endif
      let l:c += 1
    endwhile
  endfor
endfunction

function! s:InCommentOrString(l, c) abort
  for l:id in synstack(a:l, a:c)
    if synIDattr(l:id, 'name') =~# 'Comment\|String\|Character\|Include'
      return 1
    endif
  endfor
  return 0
endfunction

function! s:CheckSample() abort
  let l:pats = {'go': '\<go\>', 'chan': '\<chan\>', 'select': '\<select\>\ze\_s*{',
        \ 'make': '\<make\>\ze\s*(\s*chan\>', 'arrow': '<-'}
  for [l:kind, l:pat] in items(l:pats)
    call cursor(1, 1)
    let l:flags = 'cW'
    while 1
      let [l:l, l:c] = searchpos(l:pat, l:flags)
      let l:flags = 'W'
      if l:l == 0
        break
      endif
      if !s:InCommentOrString(l:l, l:c)
        call s:Expect(l:l, l:c, l:kind)
        let l:len = len(matchstr(getline(l:l)[l:c - 1 :], l:pat))
        call s:Expect(l:l, l:c + l:len - 1, l:kind)
      endif
    endwhile
  endfor
endfunction

if &filetype !=# 'goc'
  call add(s:fail, expand('%') . ": filetype is '" . &filetype . "', not goc")
elseif $GOC_CHECK_MODE ==# 'fixture'
  call s:CheckFixture()
else
  call s:CheckSample()
endif
call writefile(s:fail + ['checked ' . s:checked], $GOC_CHECK_OUT)
if empty(s:fail)
  qall!
endif
cquit!
