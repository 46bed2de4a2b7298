using WeOps.Engine.Expressions;

namespace WeOps.Engine.Executors;

/// <summary>The template encoding of URL inputs (<see cref="InputSyntax.Url"/>): a value spliced into the path or
/// the query is percent-encoded as one component, so its '/', '?', '#', '&amp;' and '=' stay data
/// (<c>https://api/items/${id}?q=${term}</c>); a value that begins the URL is its base address and is spliced as it
/// is (<c>${baseUrl}/items/${id}</c>, or a lone <c>${url}</c>), for the executor to check as a whole.</summary>
public sealed class UrlComponents : TemplateEncoding
{
    public static readonly UrlComponents Encoding = new();

    private UrlComponents()
    {
    }

    /// <inheritdoc/>
    public override string Encode(string text) => Uri.EscapeDataString(text);

    /// <inheritdoc/>
    public override string EncodeLeading(string text) => text;
}
