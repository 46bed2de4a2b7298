namespace WeOps.Engine.Expressions;

/// <summary>Why a piece of code does not parse, and where: <see cref="Index"/> counts characters from the start
/// of the code as its author wrote it.</summary>
internal sealed record SyntaxProblem(int Index, string Description)
{
    /// <summary>"line 1, column 5: Unexpected token ')'", counted in <paramref name="text"/>, in which the code
    /// starts at <paramref name="codeStart"/> (a template part starts after its "${").</summary>
    public string Describe(string text, int codeStart = 0)
    {
        var index = Math.Clamp(codeStart + Index, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return $"line {line}, column {index - lineStart + 1}: {Description}";
    }
}
