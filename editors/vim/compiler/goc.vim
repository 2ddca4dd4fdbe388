" :make checks the current .goc file with goc: every diagnostic of goc and
" of the C compiler, at its .goc line and column, in the quickfix list.
" $GOCFLAGS (e.g. -Iinclude -DNDEBUG) is added to the command.
if exists('current_compiler')
  finish
endif
let current_compiler = 'goc'

CompilerSet makeprg=goc\ build\ -c\ -fsyntax-only\ -fdiagnostics-color=never\ -Wall\ $GOCFLAGS\ %:S
CompilerSet errorformat=%f:%l:%c:\ %trror:\ %m,
      \%f:%l:%c:\ fatal\ %trror:\ %m,
      \%f:%l:%c:\ %tarning:\ %m,
      \%f:%l:%c:\ %tote:\ %m,
      \goc:\ %trror:\ %m,
      \%-G%.%#
