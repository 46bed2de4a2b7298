using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests;

/// <summary>Requests and responses as the tests write them: BPMN fixtures in, JSON out.</summary>
internal static class Http
{
    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static ByteArrayContent Body(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    public static ByteArrayContent Body(string text, string mediaType = "application/xml") => Body(Encoding.UTF8.GetBytes(text), mediaType);

    public static Task<HttpResponseMessage> ValidateAsync(this HttpClient client, HttpContent body) => client.PostAsync("/api/validate", body);

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())
        ?? throw new InvalidOperationException($"{(int)response.StatusCode}: the body is JSON null.");
}
