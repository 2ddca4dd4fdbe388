" goc buffers behave as C buffers, and :make checks the file with goc.
if exists('b:did_ftplugin')
  finish
endif
runtime! ftplugin/c.vim
compiler goc
