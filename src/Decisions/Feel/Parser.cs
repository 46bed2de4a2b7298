namespace WeOps.Decisions.Feel;

/// <summary>
/// Recursive descent over FEEL tokens. Names of several words are read as the longest name the model
/// declares at that point, else as consecutive words up to a keyword, since FEEL never puts two names side by side.
/// </summary>
internal sealed class Parser
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "in", "then", "else", "return", "satisfies", "instance", "between", "if", "for", "some", "every",
        "function", "true", "false", "null", "of", "not",
    };

    private readonly string text;
    private readonly List<Token> tokens;
    private readonly List<string> knownNames;
    private int pos;
    private bool usesQuestion;

    private Parser(string text, IEnumerable<string> knownNames)
    {
        this.text = text;
        tokens = Lexer.Tokenize(text);
        this.knownNames = [.. knownNames, .. TypeNames];
    }

    /// <summary>Type names of several words, read after <c>instance of</c> and in typed parameters.</summary>
    private static readonly string[] TypeNames = ["date and time", "days and time duration", "years and months duration"];

    public static Node ParseExpression(string text, IEnumerable<string> knownNames)
    {
        var p = new Parser(text, knownNames);
        var node = p.Expression();
        p.ExpectEnd();
        return node;
    }

    public static Node ParseUnaryTests(string text, IEnumerable<string> knownNames)
    {
        var p = new Parser(text, knownNames);
        var node = p.Tests(topLevel: true);
        p.ExpectEnd();
        return node;
    }

    private Token Peek(int ahead = 0) => tokens[Math.Min(pos + ahead, tokens.Count - 1)];

    private bool IsSymbol(string s, int ahead = 0) => Peek(ahead) is { Kind: TokenKind.Symbol } t && t.Text == s;

    private bool IsWord(string s, int ahead = 0) => Peek(ahead) is { Kind: TokenKind.Name } t && t.Text == s;

    private Token Next() => tokens[Math.Min(pos++, tokens.Count - 1)];

    private FeelSyntaxException Error(string message) =>
        new(Peek().Kind == TokenKind.End ? $"{message}, found the end" : $"{message}, found '{Peek().Text}'", Peek().Start);

    private void Expect(string symbol)
    {
        if (!IsSymbol(symbol)) throw Error($"expected '{symbol}'");
        pos++;
    }

    private void ExpectWord(string word)
    {
        if (!IsWord(word)) throw Error($"expected '{word}'");
        pos++;
    }

    private void ExpectEnd()
    {
        if (Peek().Kind != TokenKind.End) throw Error("unexpected text");
    }

    private Node Tests(bool topLevel)
    {
        if (topLevel && IsSymbol("-") && Peek(1).Kind == TokenKind.End)
        {
            pos++;
            return new UnaryTests([UnaryTests.Dash], false);
        }
        if (topLevel && IsWord("not") && IsSymbol("(", 1))
        {
            var save = pos;
            pos += 2;
            var inner = (UnaryTests)Tests(false);
            if (IsSymbol(")") && Peek(1).Kind == TokenKind.End)
            {
                pos++;
                return new UnaryTests([inner], true);
            }
            pos = save;
        }
        var tests = new List<Node> { Test() };
        while (IsSymbol(","))
        {
            pos++;
            tests.Add(Test());
        }
        return new UnaryTests(tests, false);
    }

    private Node Test()
    {
        if (Peek().Kind == TokenKind.Symbol && Peek().Text is "<" or "<=" or ">" or ">=" or "=" or "!=")
        {
            var op = Next().Text;
            return new UnaryCompare(op, Additive());
        }
        var before = usesQuestion;
        usesQuestion = false;
        var e = Expression();
        var used = usesQuestion;
        usesQuestion = before || used;
        return used ? new QuestionUse(e) : e;
    }

    public Node Expression()
    {
        if (IsWord("if"))
        {
            pos++;
            var c = Expression();
            ExpectWord("then");
            var t = Expression();
            ExpectWord("else");
            return new IfNode(c, t, Expression());
        }
        if (IsWord("for"))
        {
            pos++;
            var its = Iterators();
            ExpectWord("return");
            return new ForNode(its, Expression());
        }
        if ((IsWord("some") || IsWord("every")) && Peek(1).Kind == TokenKind.Name)
        {
            var every = Next().Text == "every";
            var its = Iterators();
            ExpectWord("satisfies");
            return new QuantifiedNode(every, its, Expression());
        }
        return Disjunction();
    }

    private List<Iterator> Iterators()
    {
        var list = new List<Iterator>();
        do
        {
            if (list.Count > 0) pos++;
            var name = Name(declaring: true);
            ExpectWord("in");
            var source = Expression();
            Node? to = null;
            if (IsSymbol(".."))
            {
                pos++;
                to = Expression();
            }
            list.Add(new Iterator(name, source, to));
        }
        while (IsSymbol(","));
        return list;
    }

    private Node Disjunction()
    {
        var left = Conjunction();
        while (IsWord("or"))
        {
            pos++;
            left = new LogicNode(false, left, Conjunction());
        }
        return left;
    }

    private Node Conjunction()
    {
        var left = Comparison();
        while (IsWord("and"))
        {
            pos++;
            left = new LogicNode(true, left, Comparison());
        }
        return left;
    }

    private Node Comparison()
    {
        var left = Additive();
        while (true)
        {
            if (Peek().Kind == TokenKind.Symbol && Peek().Text is "=" or "!=" or "<" or "<=" or ">" or ">=")
            {
                var op = Next().Text;
                left = new BinaryNode(op, left, Additive());
            }
            else if (IsWord("between"))
            {
                pos++;
                var low = Additive();
                ExpectWord("and");
                left = new BetweenNode(left, low, Additive());
            }
            else if (IsWord("in"))
            {
                pos++;
                if (IsSymbol("(") && LooksLikeTestList())
                {
                    pos++;
                    var tests = (UnaryTests)Tests(false);
                    Expect(")");
                    left = new InNode(left, tests);
                }
                else
                {
                    left = new InNode(left, new UnaryTests([Test()], false));
                }
            }
            else if (IsWord("instance") && IsWord("of", 1))
            {
                pos += 2;
                left = new InstanceOfNode(left, Type());
            }
            else
            {
                return left;
            }
        }
    }

    /// <summary>After <c>in</c>, a parenthesis opens a list of tests unless it opens a range such as <c>(1..5]</c>.</summary>
    private bool LooksLikeTestList()
    {
        var depth = 0;
        for (var i = pos; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind != TokenKind.Symbol) continue;
            if (t.Text is "(" or "[" or "{") depth++;
            else if (t.Text is ")" or "]" or "}") { depth--; if (depth == 0) return true; }
            else if (t.Text == ".." && depth == 1) return false;
        }
        return true;
    }

    public FeelType Type()
    {
        var name = Name();
        if (name is "list" or "range" && IsSymbol("<"))
        {
            pos++;
            var arg = Type();
            Expect(">");
            return new FeelType(name, [arg], []);
        }
        if (name == "context" && IsSymbol("<"))
        {
            pos++;
            var fields = new List<(string, FeelType)>();
            do
            {
                if (fields.Count > 0) pos++;
                var key = Name();
                Expect(":");
                fields.Add((key, Type()));
            }
            while (IsSymbol(","));
            Expect(">");
            return new FeelType(name, [], fields);
        }
        if (name == "function" && IsSymbol("<"))
        {
            pos++;
            while (!IsSymbol(">")) pos++;
            pos++;
            if (IsSymbol("-") && IsSymbol(">", 1))
            {
                pos += 2;
                Type();
            }
        }
        return FeelType.Simple(name);
    }

    private Node Additive()
    {
        var left = Multiplicative();
        while (IsSymbol("+") || IsSymbol("-"))
        {
            var op = Next().Text;
            left = new BinaryNode(op, left, Multiplicative());
        }
        return left;
    }

    private Node Multiplicative()
    {
        var left = Power();
        while (IsSymbol("*") || IsSymbol("/"))
        {
            var op = Next().Text;
            left = new BinaryNode(op, left, Power());
        }
        return left;
    }

    private Node Power()
    {
        var left = Unary();
        while (IsSymbol("**"))
        {
            pos++;
            left = new BinaryNode("**", left, Unary());
        }
        return left;
    }

    private Node Unary()
    {
        if (IsSymbol("-"))
        {
            pos++;
            return new NegateNode(Unary());
        }
        return Postfix(Primary());
    }

    private Node Postfix(Node node)
    {
        while (true)
        {
            if (IsSymbol("."))
            {
                pos++;
                node = new PathNode(node, Name());
            }
            else if (IsSymbol("[") && StartsExpression(Peek(1)))
            {
                pos++;
                var condition = Expression();
                Expect("]");
                node = new FilterNode(node, condition);
            }
            else if (IsSymbol("("))
            {
                pos++;
                node = new CallNode(node, Arguments());
            }
            else
            {
                return node;
            }
        }
    }

    /// <summary>Whether a token can open an expression; after a range's end, <c>[</c> followed by anything else closes the range.</summary>
    private static bool StartsExpression(Token t) =>
        t.Kind != TokenKind.End && !(t.Kind == TokenKind.Symbol && t.Text is ")" or "]" or "," or "." or "}" or ":" or "=" or "*" or "/" or "**");

    private List<Argument> Arguments()
    {
        var args = new List<Argument>();
        while (!IsSymbol(")"))
        {
            if (args.Count > 0) Expect(",");
            string? name = null;
            if (Peek().Kind == TokenKind.Name)
            {
                var save = pos;
                var candidate = Name();
                if (IsSymbol(":")) { pos++; name = candidate; }
                else pos = save;
            }
            args.Add(new Argument(name, Expression()));
        }
        pos++;
        return args;
    }

    private Node Primary()
    {
        var t = Peek();
        switch (t.Kind)
        {
            case TokenKind.Number:
                pos++;
                return new Literal(t.Value);
            case TokenKind.String:
                pos++;
                return new Literal(t.Value);
            case TokenKind.At:
                pos++;
                return new Literal(Builtins.FromAtLiteral((string)t.Value!) ?? throw new FeelSyntaxException($"@{t.Text} is not a date, time or duration", t.Start));
            case TokenKind.End:
                throw Error("expected an expression");
        }
        if (t.Kind == TokenKind.Symbol)
        {
            switch (t.Text)
            {
                case "?":
                    pos++;
                    usesQuestion = true;
                    return new NameRef("?");
                case "(":
                    {
                        pos++;
                        var e = Expression();
                        if (IsSymbol("..")) return RangeRest(false, e);
                        Expect(")");
                        return e;
                    }
                case "]":
                    {
                        pos++;
                        var e = Expression();
                        return RangeRest(false, e);
                    }
                case "[":
                    {
                        pos++;
                        if (IsSymbol("]")) { pos++; return new ListNode([]); }
                        var first = Expression();
                        if (IsSymbol("..")) return RangeRest(true, first);
                        var items = new List<Node> { first };
                        while (IsSymbol(","))
                        {
                            pos++;
                            items.Add(Expression());
                        }
                        Expect("]");
                        return new ListNode(items);
                    }
                case "{":
                    pos++;
                    return Context();
                case "<" or "<=" or ">" or ">=":
                    {
                        pos++;
                        return new UnaryCompare(t.Text, Additive());
                    }
            }
            throw Error("expected an expression");
        }
        switch (t.Text)
        {
            case "true": pos++; return new Literal(true);
            case "false": pos++; return new Literal(false);
            case "null": pos++; return new Literal(null);
            case "function" when IsSymbol("(", 1):
                {
                    pos += 2;
                    var parameters = new List<string>();
                    var types = new List<FeelType?>();
                    while (!IsSymbol(")"))
                    {
                        if (parameters.Count > 0) Expect(",");
                        parameters.Add(Name(declaring: true));
                        FeelType? type = null;
                        if (IsSymbol(":")) { pos++; type = Type(); }
                        types.Add(type);
                    }
                    pos++;
                    var added = parameters.Count;
                    knownNames.AddRange(parameters);
                    if (IsWord("external")) throw Error("external functions are not supported");
                    var body = Expression();
                    knownNames.RemoveRange(knownNames.Count - added, added);
                    return new FunctionNode(parameters, types, body);
                }
        }
        return new NameRef(Name());
    }

    private Node RangeRest(bool startIncluded, Node start)
    {
        Expect("..");
        var end = Expression();
        if (IsSymbol("]")) { pos++; return new RangeNode(startIncluded, start, end, true); }
        if (IsSymbol(")") || IsSymbol("[")) { pos++; return new RangeNode(startIncluded, start, end, false); }
        throw Error("expected ']' or ')' to close the range");
    }

    private Node Context()
    {
        var entries = new List<(string, Node)>();
        var added = 0;
        while (!IsSymbol("}"))
        {
            if (entries.Count > 0) Expect(",");
            string key;
            if (Peek().Kind == TokenKind.String) key = (string)Next().Value!;
            else key = ContextKey();
            Expect(":");
            knownNames.Add(key);
            added++;
            entries.Add((key, Expression()));
        }
        pos++;
        knownNames.RemoveRange(knownNames.Count - added, added);
        return new ContextNode(entries);
    }

    /// <summary>A context key may hold the extra name symbols + - * / . and ' as written, up to its colon.</summary>
    private string ContextKey()
    {
        var start = Peek();
        if (start.Kind != TokenKind.Name) throw Error("expected a name or a string as the context key");
        var end = start.End;
        pos++;
        while (Peek().Kind != TokenKind.End && !IsSymbol(":") && !IsSymbol(",") && !IsSymbol("}")) end = Next().End;
        return Names.Normalize(text[start.Start..end]);
    }

    private string Name(bool declaring = false)
    {
        var t = Peek();
        if (t.Kind != TokenKind.Name) throw Error("expected a name");
        var bestEnd = -1;
        string? best = null;
        foreach (var known in knownNames)
        {
            if (known.Length <= (best?.Length ?? 0) || known.Length > text.Length - t.Start) continue;
            if (string.CompareOrdinal(text, t.Start, known, 0, known.Length) != 0) continue;
            var end = t.Start + known.Length;
            if (end < text.Length && Lexer.IsNamePart(text[end]) && Lexer.IsNamePart(known[^1])) continue;
            if (!tokens.Any(x => x.End == end)) continue;
            best = known;
            bestEnd = end;
        }
        var words = new List<string> { Next().Text };
        var wordsEnd = t.End;
        while (Peek().Kind == TokenKind.Name && !Keywords.Contains(Peek().Text))
        {
            words.Add(Peek().Text);
            wordsEnd = Next().End;
        }
        if (best is not null && bestEnd > wordsEnd)
        {
            while (Peek().Kind != TokenKind.End && Peek().Start < bestEnd) pos++;
            return best;
        }
        if (!declaring && best is not null && bestEnd < wordsEnd)
        {
            // A declared name that is a prefix of the words wins only when the words name nothing declared.
            var joined = string.Join(' ', words);
            if (!knownNames.Contains(joined))
            {
                while (tokens[pos - 1].End > bestEnd) pos--;
                return best;
            }
        }
        return string.Join(' ', words);
    }
}
