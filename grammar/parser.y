%name GocParse
%token_prefix TK_
unit ::= X.
