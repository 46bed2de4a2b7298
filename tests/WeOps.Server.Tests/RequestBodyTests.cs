using System.Net;

namespace WeOps.Server.Tests;

/// <summary>Bodies refused before the parser sees them: nothing, or more than a BPMN file may be.</summary>
[Collection(ServerCollection.Name)]
public sealed class RequestBodyTests(ServerFixture server)
{
    [Fact]
    public async Task An_empty_body_is_a_400_problem_that_names_the_cause()
    {
        using var response = await server.Client.ValidateAsync(Http.Body([], "application/xml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(400, (int?)problem["status"]);
        Assert.Equal("Empty request body", (string?)problem["title"]);
    }

    // Expect: 100-continue, as curl sends for large uploads: the server refuses on the Content-Length
    // header before the body is sent. Without it the server still answers 413 at once, but then closes
    // the connection on the unread rest, so the client may see a reset instead of the answer.
    [Fact]
    public async Task A_6_MB_body_is_a_413_that_names_the_limit_and_the_server_still_answers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/validate") { Content = Spaces(6 * 1024 * 1024) };
        request.Headers.ExpectContinue = true;

        using var response = await server.Client.SendAsync(request);

        await AssertTooLargeAsync(response);
        using var health = await server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    // Without a Content-Length the size is only known while reading. Just over 5 MB, so that the
    // transport (5 MB + 64 KB) drains the rest and the connection stays open for the answer.
    [Fact]
    public async Task A_chunked_body_over_5_MB_is_a_413_when_the_limit_is_passed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/validate") { Content = Spaces(5 * 1024 * 1024 + 16 * 1024) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Client.SendAsync(request);

        await AssertTooLargeAsync(response);
    }

    private static HttpContent Spaces(int length)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, (byte)' ');
        return Http.Body(bytes, "application/xml");
    }

    private static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("at most 5,242,880 bytes (5 MB)", (string?)(await response.JsonAsync())["detail"]);
    }
}
