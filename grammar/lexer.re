/*
 * lexer.re - the C/goc token scanner (re2c).  The source of truth for the
 * token set; build/compiler/gen/lexer.c is generated from it.
 *
 * lex_scan() reads one token starting at *cur (never whitespace or a
 * directive line: compiler/lex.c handles those and all line/column
 * bookkeeping) and returns its kind: a TK_* code from the lemon grammar,
 * LEX_IDENT for identifiers that lex.c classifies, LEX_WORD_* for the goc
 * words whose meaning depends on the file and the next token, LEX_ARROW
 * for "<-", LEX_END at the end, LEX_ERROR for anything else.
 * The input ends with a NUL sentinel at lim; NUL bytes before it are
 * errors, not the end.
 */
#include <stddef.h>

#include "lex.h"
#include "parser.h"

int lex_scan(const unsigned char **cur, const unsigned char *lim)
{
    const unsigned char *YYCURSOR = *cur, *YYMARKER = YYCURSOR;
    const unsigned char *YYLIMIT = lim;
    int kind;
/*!re2c
    re2c:yyfill:enable = 0;
    re2c:eof = 0;
    re2c:define:YYCTYPE = "unsigned char";

    nondigit  = [a-zA-Z_$];
    digit     = [0-9];
    hex       = [0-9a-fA-F];
    ucn       = "\\u" hex{4} | "\\U" hex{8};
    utf8      = [\xc2-\xdf][\x80-\xbf]
              | [\xe0-\xef][\x80-\xbf]{2}
              | [\xf0-\xf4][\x80-\xbf]{3};
    identchar = nondigit | digit | ucn | utf8;
    ident     = (nondigit | ucn | utf8) identchar*;
    /* C23 digit separators: 1'000'000 */
    ppnumber  = "."? digit (identchar | [eEpP] [+-] | "." | "'" identchar)*;
    prefix    = "u8" | "u" | "U" | "L";
    escape    = "\\" [^\n\x00] | "\\\x00";
    string    = prefix? "\"" ([^"\\\n\x00] | escape)* "\"";
    charlit   = prefix? "'" ([^'\\\n\x00] | escape)* "'";

    $ { kind = LEX_END; goto done; }
    string  { kind = TK_STRING; goto done; }
    charlit { kind = TK_CHARCONST; goto done; }
    ppnumber { kind = TK_NUMBER; goto done; }

    "auto"           { kind = TK_AUTO; goto done; }
    "break"          { kind = TK_BREAK; goto done; }
    "case"           { kind = TK_CASE; goto done; }
    "char"           { kind = TK_CHAR; goto done; }
    "const" | "__const" | "__const__" { kind = TK_CONST; goto done; }
    "continue"       { kind = TK_CONTINUE; goto done; }
    "default"        { kind = TK_DEFAULT; goto done; }
    "do"             { kind = TK_DO; goto done; }
    "double"         { kind = TK_DOUBLE; goto done; }
    "else"           { kind = TK_ELSE; goto done; }
    "enum"           { kind = TK_ENUM; goto done; }
    "extern"         { kind = TK_EXTERN; goto done; }
    "float"          { kind = TK_FLOAT; goto done; }
    "for"            { kind = TK_FOR; goto done; }
    "goto"           { kind = TK_GOTO; goto done; }
    "if"             { kind = TK_IF; goto done; }
    "inline" | "__inline" | "__inline__" { kind = TK_INLINE; goto done; }
    "int"            { kind = TK_INT; goto done; }
    "long"           { kind = TK_LONG; goto done; }
    "register"       { kind = TK_REGISTER; goto done; }
    "restrict" | "__restrict" | "__restrict__" { kind = TK_RESTRICT; goto done; }
    "return"         { kind = TK_RETURN; goto done; }
    "short"          { kind = TK_SHORT; goto done; }
    "signed" | "__signed" | "__signed__" { kind = TK_SIGNED; goto done; }
    "sizeof"         { kind = TK_SIZEOF; goto done; }
    "static"         { kind = TK_STATIC; goto done; }
    "struct"         { kind = TK_STRUCT; goto done; }
    "switch"         { kind = TK_SWITCH; goto done; }
    "typedef"        { kind = TK_TYPEDEF; goto done; }
    "union"          { kind = TK_UNION; goto done; }
    "unsigned"       { kind = TK_UNSIGNED; goto done; }
    "void"           { kind = TK_VOID; goto done; }
    "volatile" | "__volatile" | "__volatile__" { kind = TK_VOLATILE; goto done; }
    "while"          { kind = TK_WHILE; goto done; }
    "_Alignas"       { kind = TK_ALIGNAS; goto done; }
    "_Alignof" | "__alignof" | "__alignof__" { kind = TK_ALIGNOF; goto done; }
    "_Atomic"        { kind = TK_ATOMIC; goto done; }
    "_Bool"          { kind = TK_BOOL; goto done; }
    "_Complex" | "__complex__" | "__complex" { kind = TK_COMPLEX; goto done; }
    "_Imaginary"     { kind = TK_COMPLEX; goto done; }
    "_Generic"       { kind = TK_GENERIC; goto done; }
    "_Noreturn"      { kind = TK_NORETURN; goto done; }
    "_Static_assert" { kind = TK_STATIC_ASSERT; goto done; }
    "_Thread_local" | "__thread" { kind = TK_THREAD_LOCAL; goto done; }
    "asm" | "__asm" | "__asm__" { kind = TK_ASM; goto done; }
    "typeof" | "__typeof" | "__typeof__" { kind = TK_TYPEOF; goto done; }
    "__auto_type"    { kind = TK_AUTO_TYPE; goto done; }
    "__int128"       { kind = TK_INT128; goto done; }
    "_Float" digit+ "x"? | "__float128" | "__float80" | "__ibm128" | "__bf16"
                     { kind = LEX_FLOATN; goto done; }
    "__real" | "__real__" { kind = TK_REAL; goto done; }
    "__imag" | "__imag__" { kind = TK_IMAG; goto done; }
    "__label__"      { kind = TK_LOCAL_LABEL; goto done; }
    "__builtin_va_arg" { kind = TK_VA_ARG; goto done; }
    "__builtin_offsetof" { kind = TK_OFFSETOF; goto done; }
    "__builtin_types_compatible_p" { kind = TK_TYPES_COMPATIBLE; goto done; }
    "__builtin_bit_cast" { kind = TK_BIT_CAST; goto done; }
    "__builtin_convertvector" { kind = TK_CONVERT_VECTOR; goto done; }
    "__attribute" | "__attribute__" | "__declspec" { kind = LEX_ATTRIBUTE; goto done; }
    "__extension__" | "_Nullable" | "_Nonnull" | "_Null_unspecified"
        { kind = LEX_SKIP; goto done; }
    "go"             { kind = LEX_WORD_GO; goto done; }
    "chan"           { kind = LEX_WORD_CHAN; goto done; }
    "select"         { kind = LEX_WORD_SELECT; goto done; }
    "make"           { kind = LEX_WORD_MAKE; goto done; }
    ident            { kind = LEX_IDENT; goto done; }

    "(" { kind = TK_LPAREN; goto done; }
    ")" { kind = TK_RPAREN; goto done; }
    "[" | "<:" { kind = TK_LBRACKET; goto done; }
    "]" | ":>" { kind = TK_RBRACKET; goto done; }
    "{" | "<%" { kind = TK_LBRACE; goto done; }
    "}" | "%>" { kind = TK_RBRACE; goto done; }
    "."   { kind = TK_DOT; goto done; }
    "->"  { kind = TK_ARROW; goto done; }
    "++"  { kind = TK_INC; goto done; }
    "--"  { kind = TK_DEC; goto done; }
    "&"   { kind = TK_AMP; goto done; }
    "*"   { kind = TK_STAR; goto done; }
    "+"   { kind = TK_PLUS; goto done; }
    "-"   { kind = TK_MINUS; goto done; }
    "~"   { kind = TK_TILDE; goto done; }
    "!"   { kind = TK_NOT; goto done; }
    "/"   { kind = TK_SLASH; goto done; }
    "%"   { kind = TK_PERCENT; goto done; }
    "<<"  { kind = TK_SHL; goto done; }
    ">>"  { kind = TK_SHR; goto done; }
    "<"   { kind = TK_LT; goto done; }
    ">"   { kind = TK_GT; goto done; }
    "<="  { kind = TK_LE; goto done; }
    ">="  { kind = TK_GE; goto done; }
    "=="  { kind = TK_EQ; goto done; }
    "!="  { kind = TK_NE; goto done; }
    "^"   { kind = TK_CARET; goto done; }
    "|"   { kind = TK_PIPE; goto done; }
    "&&"  { kind = TK_ANDAND; goto done; }
    "||"  { kind = TK_OROR; goto done; }
    "?"   { kind = TK_QUESTION; goto done; }
    ":"   { kind = TK_COLON; goto done; }
    ";"   { kind = TK_SEMI; goto done; }
    "..." { kind = TK_ELLIPSIS; goto done; }
    "="   { kind = TK_ASSIGN; goto done; }
    "*="  { kind = TK_MULASSIGN; goto done; }
    "/="  { kind = TK_DIVASSIGN; goto done; }
    "%="  { kind = TK_MODASSIGN; goto done; }
    "+="  { kind = TK_ADDASSIGN; goto done; }
    "-="  { kind = TK_SUBASSIGN; goto done; }
    "<<=" { kind = TK_SHLASSIGN; goto done; }
    ">>=" { kind = TK_SHRASSIGN; goto done; }
    "&="  { kind = TK_ANDASSIGN; goto done; }
    "^="  { kind = TK_XORASSIGN; goto done; }
    "|="  { kind = TK_ORASSIGN; goto done; }
    ","   { kind = TK_COMMA; goto done; }
    "<-"  { kind = LEX_ARROW; goto done; }
    "#" | "##" | "%:" | "%:%:" { kind = LEX_ERROR; goto done; }

    [\x80-\xff] { kind = LEX_BAD_UTF8; goto done; }
    ["']        { kind = LEX_UNTERMINATED; goto done; }
    *           { kind = LEX_ERROR; goto done; }
*/
done:
    *cur = YYCURSOR;
    return kind;
}
