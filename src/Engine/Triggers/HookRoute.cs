namespace WeOps.Engine.Triggers;

/// <summary>One segment of a hook path: a literal, or a <c>{name}</c> parameter.</summary>
public readonly record struct HookSegment(string Text, bool IsParameter);

/// <summary>A hook's path template below <c>/hooks/</c>, such as <c>deploy/{service}</c>: literal segments
/// and named parameters, matched segment by segment (literals without regard to case, as ASP.NET routes).</summary>
public sealed class HookRoute
{
    public const int MaxLength = 200;
    public const int MaxSegments = 16;

    private HookRoute(string template, IReadOnlyList<HookSegment> segments)
    {
        Template = template;
        Segments = segments;
        Shape = string.Join('/', segments.Select(s => s.IsParameter ? "{}" : s.Text.ToLowerInvariant()));
        Specificity = new string(segments.Select(s => s.IsParameter ? '0' : '1').ToArray());
    }

    public string Template { get; }
    public IReadOnlyList<HookSegment> Segments { get; }

    /// <summary>The template without parameter names: two routes with the same shape (and method) match
    /// exactly the same paths, so they clash.</summary>
    public string Shape { get; }

    /// <summary>Compared as text, higher is more specific: a literal beats a parameter at the first segment
    /// where two routes differ, so <c>deploy/web</c> wins over <c>deploy/{service}</c>.</summary>
    public string Specificity { get; }

    public IEnumerable<string> ParameterNames => Segments.Where(s => s.IsParameter).Select(s => s.Text);

    /// <summary>Reads a template; null with <paramref name="problem"/> saying what is wrong.</summary>
    public static HookRoute? Parse(string? template, out string? problem)
    {
        problem = Check(template, out var segments);
        return problem is null ? new HookRoute(template!.Trim().Trim('/'), segments) : null;
    }

    /// <summary>The values of the parameters when <paramref name="path"/> (below <c>/hooks/</c>, already
    /// split at '/') fits this route; null when it does not.</summary>
    public Dictionary<string, string>? Match(IReadOnlyList<string> path)
    {
        if (path.Count != Segments.Count) return null;

        // Checked before anything is allocated: most routes of a table do not match.
        for (var i = 0; i < path.Count; i++)
        {
            var segment = Segments[i];
            var fits = segment.IsParameter ? path[i].Length > 0 : string.Equals(segment.Text, path[i], StringComparison.OrdinalIgnoreCase);
            if (!fits) return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < path.Count; i++)
        {
            if (Segments[i].IsParameter) values[Segments[i].Text] = path[i];
        }

        return values;
    }

    public override string ToString() => Template;

    private static string? Check(string? template, out List<HookSegment> segments)
    {
        segments = [];
        var text = template?.Trim().Trim('/') ?? string.Empty;
        if (text.Length == 0) return "the path is empty: give one such as deploy/{service}.";
        if (text.Length > MaxLength) return $"the path has {text.Length} characters; at most {MaxLength} are allowed.";
        var parts = text.Split('/');
        if (parts.Length > MaxSegments) return $"the path has {parts.Length} segments; at most {MaxSegments} are allowed.";
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            if (part.Length == 0) return $"\"{text}\" has an empty segment (two slashes in a row).";
            if (part.StartsWith('{') || part.EndsWith('}'))
            {
                var name = part.Length >= 2 && part.StartsWith('{') && part.EndsWith('}') ? part[1..^1] : null;
                if (name is null || !IsParameterName(name))
                    return $"the segment \"{part}\" is not a parameter: write {{name}} with a name of letters, digits and '_', starting with a letter.";
                if (!names.Add(name)) return $"the parameter {{{name}}} appears twice; give each parameter its own name.";
                segments.Add(new HookSegment(name, true));
            }
            else
            {
                if (!part.All(IsLiteralCharacter))
                    return $"the segment \"{part}\" may hold only letters, digits, '-', '.', '_' and '~' (or be a {{parameter}}).";
                if (part is "." or "..") return $"the segment \"{part}\" is not allowed.";
                segments.Add(new HookSegment(part, false));
            }
        }

        return null;
    }

    private static bool IsParameterName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool IsLiteralCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
