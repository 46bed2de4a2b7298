using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeOps.Designer.Tests;

/// <summary>The servers the test run starts (scripts/test-services.sh): the test sshd as an inventory host, and the
/// test SMTP server's maildir where approval mail lands.</summary>
public static partial class TestServices
{
    public static string Require(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{variable} is not set: run the tests through scripts/test-services.sh (it starts the test sshd and SMTP server).");

    /// <summary>The test sshd as an inventory host with its key as a credential, as an administrator sets it up.</summary>
    public static async Task RegisterSshHostAsync(HttpClient api, string name)
    {
        using var credential = await api.PutAsJsonAsync($"/api/credentials/{name}-key", new
        {
            kind = "ssh",
            values = new JsonObject { ["privateKey"] = await File.ReadAllTextAsync(Require("WEOPS_TEST_SSH_KEY")), ["username"] = Require("WEOPS_TEST_SSH_USER") },
        });
        Assert.True(credential.IsSuccessStatusCode, await credential.Content.ReadAsStringAsync());
        using var host = await api.PutAsJsonAsync($"/api/hosts/{name}", new
        {
            address = "127.0.0.1",
            port = int.Parse(Require("WEOPS_TEST_SSH_PORT"), System.Globalization.CultureInfo.InvariantCulture),
            user = Require("WEOPS_TEST_SSH_USER"),
            credential = $"{name}-key",
            knownHosts = Require("WEOPS_TEST_SSH_KNOWN_HOSTS"),
        });
        Assert.True(host.IsSuccessStatusCode, await host.Content.ReadAsStringAsync());
    }

    /// <summary>The approve link of the approval mail to <paramref name="address"/> whose subject names
    /// <paramref name="marker"/>, waiting for it to land in the maildir (other tests' mail lands there too).</summary>
    public static async Task<string> ApproveLinkAsync(string marker, string address, TimeSpan timeout)
    {
        var folder = Path.Combine(Require("WEOPS_TEST_SMTP_MAILDIR"), "new");
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder) : [])
            {
                var text = QuotedPrintable(await File.ReadAllTextAsync(file));
                if (!text.Contains(marker, StringComparison.Ordinal) || !text.Contains(address, StringComparison.OrdinalIgnoreCase)) continue;
                if (ApproveLink().Match(text) is { Success: true } link) return link.Value;
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No approval mail to {address} naming '{marker}' reached {folder}.");
            await Task.Delay(100);
        }
    }

    /// <summary>The text of a message with its quoted-printable soft breaks and escapes undone (the mail's bodies are
    /// quoted-printable; its subject, an encoded word, stays ASCII for an ASCII marker).</summary>
    private static string QuotedPrintable(string raw)
    {
        var joined = raw.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal);
        var bytes = new List<byte>(joined.Length);
        for (var i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '=' && i + 2 < joined.Length && Uri.IsHexDigit(joined[i + 1]) && Uri.IsHexDigit(joined[i + 2]))
            {
                bytes.Add(Convert.ToByte(joined.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(joined[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/approve/[A-Za-z0-9_\-]+\?decision=approve")]
    private static partial Regex ApproveLink();
}
