namespace WeOps.Server.Auth;

/// <summary>The "Auth" section of configuration (environment: <c>Auth__AdminApiKey</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Anything shorter is refused at startup: the key is the whole door.</summary>
    public const int MinAdminKeyLength = 24;

    /// <summary>A key that is accepted as the principal <c>admin</c> with the admin role, from the first
    /// start, so the first keys can be created. Not stored; unset or empty means none.</summary>
    public string? AdminApiKey { get; set; }

    public bool HasAdminKey => !string.IsNullOrEmpty(AdminApiKey);
}
