using System.Text.RegularExpressions;

namespace WeOps.Engine.Model;

public enum MatchOperator { Equal, NotEqual, Regex, NotRegex }

/// <summary>One Alertmanager matcher on a label: <c>name="value"</c>, <c>!=</c>, <c>=~</c> or <c>!~</c>.
/// A label the alert does not have counts as the empty string, as in Alertmanager.</summary>
public sealed record LabelMatcher
{
    /// <summary>Matching one label against one regex may take this long; a regex this engine runs is
    /// linear-time (NonBacktracking), so the timeout is a last guard, not the main defence.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex? regex;

    public LabelMatcher(string label, MatchOperator op, string value)
    {
        Label = label;
        Operator = op;
        Value = value;
        if (op is MatchOperator.Regex or MatchOperator.NotRegex)
            regex = Compile(value);
    }

    public string Label { get; }
    public MatchOperator Operator { get; }
    public string Value { get; }

    /// <summary>Anchored at both ends like Alertmanager's; throws <see cref="ArgumentException"/> or
    /// <see cref="NotSupportedException"/> (backreferences, lookarounds) for a pattern it cannot run.</summary>
    public static Regex Compile(string pattern) =>
        new($"^(?:{pattern})$", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, RegexTimeout);

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var actual = labels.TryGetValue(Label, out var value) ? value : string.Empty;
        try
        {
            return Operator switch
            {
                MatchOperator.Equal => actual == Value,
                MatchOperator.NotEqual => actual != Value,
                MatchOperator.Regex => regex!.IsMatch(actual),
                _ => !regex!.IsMatch(actual),
            };
        }
        catch (RegexMatchTimeoutException)
        {
            // A label too costly to match is not evidence that the alert is meant for this process.
            return false;
        }
    }

    public override string ToString() => $"{Label}{Symbol(Operator)}\"{Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    public static string Symbol(MatchOperator op) => op switch
    {
        MatchOperator.Equal => "=",
        MatchOperator.NotEqual => "!=",
        MatchOperator.Regex => "=~",
        _ => "!~",
    };
}

/// <summary>Which alerts start a process (all matchers hold), and the storm control that limits how
/// many it starts: at most <see cref="MaxConcurrent"/> at once, a <see cref="Cooldown"/> per fingerprint
/// after its instance ended, and a breaker that opens after <see cref="BreakerFailures"/> failed or
/// faulted instances within <see cref="BreakerWindow"/>.</summary>
public sealed record AlertRule(IReadOnlyList<LabelMatcher> Matchers)
{
    public static readonly TimeSpan DefaultBreakerWindow = TimeSpan.FromMinutes(10);

    public int? MaxConcurrent { get; init; }
    public TimeSpan? Cooldown { get; init; }
    public int? BreakerFailures { get; init; }
    public TimeSpan BreakerWindow { get; init; } = DefaultBreakerWindow;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matchers.All(m => m.Matches(labels));
}

/// <summary>A start event with <c>ops:alert</c>: the process starts for each firing alert that matches.</summary>
public sealed record AlertEventDefinition(AlertRule Rule) : EventDefinition;
