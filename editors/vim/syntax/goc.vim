" Vim syntax file for goc (C with Go's go, chan and select): Vim's own C
" syntax plus the goc words (docs/editors.md).
if exists('b:current_syntax')
  finish
endif

runtime! syntax/c.vim
unlet! b:current_syntax

" Reserved in .goc/.goh text: go and chan.
syn keyword gocGo go
syn keyword gocChan chan
" select is a keyword only before '{' (POSIX select(...) is a call), make
" only in make(chan...).
syn match gocSelect "\<select\>\ze\_s*{"
syn match gocMake "\<make\>\ze\s*(\s*chan\>"
" The one new token: <-c receives, c <- v; sends.
syn match gocArrow "<-"

hi def link gocGo Statement
hi def link gocChan Type
hi def link gocSelect Conditional
hi def link gocMake Keyword
hi def link gocArrow Operator

let b:current_syntax = 'goc'
