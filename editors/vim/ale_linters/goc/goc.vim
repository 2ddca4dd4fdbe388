" ALE linter: goc checks the saved file and reports its own diagnostics and
" the C compiler's at their .goc lines.  Options: g:ale_goc_goc_options
" (default -Wall), e.g. let g:ale_goc_goc_options = '-Wall -Iinclude'.
call ale#Set('goc_goc_options', '-Wall')

function! ale_linters#goc#goc#Command(buffer) abort
  return 'goc build -c -fsyntax-only -fdiagnostics-format=json '
  \   . ale#Var(a:buffer, 'goc_goc_options') . ' %s'
endfunction

call ale#linter#Define('goc', {
\   'name': 'goc',
\   'executable': 'goc',
\   'command': function('ale_linters#goc#goc#Command'),
\   'lint_file': 1,
\   'output_stream': 'stderr',
\   'callback': 'goc#ale#Handle',
\})
