" goc: C with go, chan and select.  .goc sources and .goh dialect headers.
autocmd BufNewFile,BufRead *.goc,*.goh setfiletype goc
