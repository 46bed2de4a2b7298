using System.Net;
using System.Text;
using WeOps.Activities.Network;

namespace WeOps.Activities.Cloud;

/// <summary>Limits for calls to cloud APIs. Bound from configuration section <c>Cloud</c> by the server;
/// the defaults suit the instance actions runbooks use.</summary>
public sealed record CloudApiOptions
{
    /// <summary>Largest request (form body, JSON body or query string) an executor will send.</summary>
    public int MaxRequestBytes { get; init; } = 64 * 1024;

    /// <summary>Largest response read; a larger one fails the step instead of filling memory.</summary>
    public int MaxResponseBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Upper bound on one call when the step's own timeout is longer or absent.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>A cloud API's answer: status and body text, read up to the configured cap.</summary>
public sealed record CloudResponse(HttpStatusCode Status, string Body, string? ContentType);

/// <summary>A cloud API call failed for a technical reason (network, throttling, server error, an answer
/// that cannot be read): worth retrying. Messages never hold credential values.</summary>
public sealed class CloudApiException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Sends signed requests to cloud APIs: no redirects (a redirect would carry the signature
/// elsewhere), bounded response size, cancellation honoured at every await.</summary>
public sealed class CloudHttp : IDisposable
{
    private readonly HttpClient client;

    public CloudHttp(CloudApiOptions options, OutboundPolicy policy)
    {
        Options = options;
        client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = policy.ConnectAsync,
            UseProxy = OutboundPolicy.UseProxy,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        })
        {
            // The step's token and RequestTimeout bound each call; HttpClient's own timeout would
            // surface as a confusing TaskCanceledException.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public CloudApiOptions Options { get; }

    public async Task<CloudResponse> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadCappedAsync(response.Content, what, timeout.Token).ConfigureAwait(false);
            return new CloudResponse(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudApiException($"{what}: no answer within {Options.RequestTimeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            throw new CloudApiException($"{what}: {e.Message}", e);
        }
    }

    private async Task<string> ReadCappedAsync(HttpContent content, string what, CancellationToken cancellationToken)
    {
        var limit = Options.MaxResponseBytes;
        if (content.Headers.ContentLength > limit)
            throw new CloudApiException($"{what}: the response is {content.Headers.ContentLength} bytes, more than the {limit} allowed.");
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new CloudApiException($"{what}: the response is larger than the {limit} bytes allowed.");
            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public void Dispose() => client.Dispose();
}
