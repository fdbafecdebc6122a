" Vim compiler file
" Compiler:	archlint (architecture document linter)
" Usage:	:compiler archlint | make
"		(checks the configured documents; `:make %` checks the current file)
"		:compiler! archlint sets the global options, which :cexpr and
"		:cbuffer use.
" Tested:	Vim 9.0 and Neovim 0.7.2; needs 'encoding' utf-8
"
" archlint check --format short prints one finding per line:
"
"	path:line:column: severity: message [rule]
"
" where the column counts characters (Unicode scalar values). The %c of
" 'errorformat' is read as a byte index into the line, so on a line with
" accented, CJK or emoji text before the finding the cursor would land early.
" After a quickfix or location list is filled with this 'errorformat', each
" entry's column is converted from characters to bytes, using the line as it is
" in the buffer when the file is loaded, else as it is on disk. byteidxcomp()
" counts a composing character (U+0301, U+FE0F, ...) as a character of its own,
" as archlint does; byteidx() would not. %v would not do either: it counts
" screen cells, where CJK and most emoji take two cells and a tab several.

if exists('current_compiler')
  finish
endif
let current_compiler = 'archlint'

let s:cpo_save = &cpoptions
set cpoptions&vim

if exists(':CompilerSet') != 2
  command -nargs=* CompilerSet setlocal <args>
endif

CompilerSet makeprg=archlint\ check\ --format\ short\ --color\ never
CompilerSet errorformat=%f:%l:%c:\ %trror:\ %m,%f:%l:%c:\ %tarning:\ %m,%-G%.%#

" The same 'errorformat' as a string: columns are converted only in lists that
" were parsed with it.
let s:efm = '%f:%l:%c: %trror: %m,%f:%l:%c: %tarning: %m,%-G%.%#'

" The commands that parse text with 'errorformat' (not :grep, which uses
" 'grepformat'). The :cadd... and :ladd... ones append to the current list.
let s:commands = 'make,lmake,cfile,lfile,cgetfile,lgetfile,caddfile,laddfile,'
      \ . 'cbuffer,lbuffer,cgetbuffer,lgetbuffer,caddbuffer,laddbuffer,'
      \ . 'cexpr,lexpr,cgetexpr,lgetexpr,caddexpr,laddexpr'

" The 'errorformat' the command parsed with: :cexpr, :cbuffer and their
" variants use the global value, :make and :cfile the buffer's.
function! s:Efm(cmd) abort
  return a:cmd =~# 'expr$\|buffer$' ? &g:errorformat : &errorformat
endfunction

" getqflist() or, for the l... commands, the current window's getloclist().
function! s:GetList(cmd, what) abort
  return a:cmd =~# '^l' ? getloclist(0, a:what) : getqflist(a:what)
endfunction

" Before the command: the entries already in the list, which an append must
" not convert a second time.
function! s:Before(cmd) abort
  let s:first_new = a:cmd =~# '^[cl]add' ? s:GetList(a:cmd, {'size': 0}).size : 0
endfunction

" Line {lnum} of buffer {bufnr}: from the buffer when it is loaded (that is
" where the cursor goes), else from the file; {cache} keeps files already read.
function! s:Line(bufnr, lnum, cache) abort
  if bufloaded(a:bufnr)
    return get(getbufline(a:bufnr, a:lnum), 0, '')
  endif
  if !has_key(a:cache, a:bufnr)
    let l:file = fnamemodify(bufname(a:bufnr), ':p')
    let a:cache[a:bufnr] = filereadable(l:file) ? readfile(l:file) : []
  endif
  return get(a:cache[a:bufnr], a:lnum - 1, '')
endfunction

" After the command: character columns to byte columns.
function! s:After(cmd) abort
  if s:Efm(a:cmd) !=# s:efm || &encoding !=# 'utf-8'
    let s:first_new = 0
    return
  endif
  let l:list = s:GetList(a:cmd, {'id': 0, 'idx': 0, 'items': 0})
  let l:items = l:list.items
  let l:cache = {}
  let l:changed = 0
  for l:item in l:items[get(s:, 'first_new', 0) :]
    if !l:item.valid || l:item.vcol || l:item.col <= 1 || l:item.bufnr <= 0
      continue
    endif
    " The byte index of character col - 1 (0-based); -1 if the line is now
    " shorter than that, in which case the entry is left as it is.
    let l:byte = byteidxcomp(s:Line(l:item.bufnr, l:item.lnum, l:cache), l:item.col - 1)
    if l:byte >= 0 && l:byte + 1 != l:item.col
      let l:item.col = l:byte + 1
      let l:changed = 1
    endif
  endfor
  let s:first_new = 0
  if l:changed
    let l:what = {'id': l:list.id, 'idx': l:list.idx, 'items': l:items}
    if a:cmd =~# '^l'
      call setloclist(0, [], 'r', l:what)
    else
      call setqflist([], 'r', l:what)
    endif
  endif
endfunction

augroup archlint_compiler
  autocmd!
  execute 'autocmd QuickFixCmdPre' s:commands 'call s:Before(expand("<amatch>"))'
  execute 'autocmd QuickFixCmdPost' s:commands 'call s:After(expand("<amatch>"))'
augroup END

let &cpoptions = s:cpo_save
unlet s:cpo_save
