/* placeholder: replaced by the real lexer */
int lex_placeholder(const char *p);
int lex_placeholder(const char *p)
{
    /*!re2c
        re2c:yyfill:enable = 0;
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = p;
        * { return 0; }
    */
}
