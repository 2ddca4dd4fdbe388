" ALE handler for goc's JSON diagnostics (one JSON object per line):
" {"file":..., "line":..., "column":..., "severity":..., "message":...}
" Diagnostics in other files (a header) are shown at line 1 of the buffer.
function! goc#ale#Handle(buffer, lines) abort
  let l:out = []
  let l:types = {'error': 'E', 'fatal error': 'E', 'warning': 'W'}
  for l:line in a:lines
    try
      let l:d = json_decode(l:line)
    catch
      continue
    endtry
    if type(l:d) != v:t_dict || type(get(l:d, 'file', v:null)) != v:t_string
      continue
    endif
    let l:item = {'text': l:d.message, 'type': get(l:types, l:d.severity, 'I')}
    if s:SameFile(l:d.file, a:buffer)
      let l:item.lnum = l:d.line
      let l:item.col = l:d.column
    else
      let l:item.lnum = 1
      let l:item.text = l:d.file . ':' . l:d.line . ': ' . l:d.message
    endif
    call add(l:out, l:item)
  endfor
  return l:out
endfunction

function! s:SameFile(file, buffer) abort
  let l:name = fnamemodify(bufname(a:buffer), ':p')
  return fnamemodify(a:file, ':p') ==# l:name
endfunction
