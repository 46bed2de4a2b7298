using Microsoft.Extensions.Options;

namespace WeOps.Server.Auth;

/// <summary>The "SignIn" section of configuration: how many wrong passwords in a row a user, or a client address,
/// may send before it has to wait, and how long.</summary>
public sealed class SignInOptions
{
    public const string Section = "SignIn";

    /// <summary>Failures in a row (per user and per address) after which sign-ins are refused for a while.</summary>
    public int FailuresBeforeLockout { get; set; } = 5;

    /// <summary>The first wait; it doubles with each further failure in a row.</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait.</summary>
    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures older than this (with none since) are forgotten.</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row; zero before the limit.</summary>
    public TimeSpan LockoutAfter(int failures)
    {
        if (failures < FailuresBeforeLockout) return TimeSpan.Zero;
        var doublings = Math.Min(failures - FailuresBeforeLockout, 40);
        var wait = Lockout.TotalMilliseconds * Math.Pow(2, doublings);
        return wait >= MaxLockout.TotalMilliseconds ? MaxLockout : TimeSpan.FromMilliseconds(wait);
    }

    /// <summary>Refuses settings that cannot work, at startup, naming the key.</summary>
    public sealed class Validator : IValidateOptions<SignInOptions>
    {
        public ValidateOptionsResult Validate(string? name, SignInOptions o)
        {
            var problems = new List<string>();
            if (o.FailuresBeforeLockout is < 1 or > 1000)
                problems.Add($"SignIn:FailuresBeforeLockout is {o.FailuresBeforeLockout}; it must be between 1 and 1000.");
            if (o.Lockout < TimeSpan.FromSeconds(1) || o.Lockout > TimeSpan.FromDays(1))
                problems.Add($"SignIn:Lockout is {o.Lockout:c}; it must be between 00:00:01 and 1.00:00:00.");
            if (o.MaxLockout < o.Lockout || o.MaxLockout > TimeSpan.FromDays(1))
                problems.Add($"SignIn:MaxLockout is {o.MaxLockout:c}; it must be at least SignIn:Lockout ({o.Lockout:c}) and at most 1.00:00:00.");
            if (o.ForgetAfter < o.MaxLockout)
                problems.Add($"SignIn:ForgetAfter is {o.ForgetAfter:c}; it must be at least SignIn:MaxLockout ({o.MaxLockout:c}).");
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
