using System.Text;

namespace WeOps.Activities.Ssh;

/// <summary>Reads one output stream of a command without holding all of it: the first characters stay
/// in memory for the variable; once there are more, the text goes to a spill file (up to a cap) so the
/// whole of it can be stored beside the instance.</summary>
internal sealed class OutputCapture(int headChars, long storedChars, string spillPath) : IAsyncDisposable
{
    private readonly StringBuilder head = new();
    private StreamWriter? spill;
    private long stored;

    public long TotalChars { get; private set; }

    public bool Truncated => spill is not null;

    public async Task ReadToEndAsync(StreamReader reader)
    {
        var buffer = new char[16 * 1024];
        int read;
        // No token: the process is killed on timeout or cancellation, which ends the stream.
        while ((read = await reader.ReadAsync(buffer.AsMemory(), CancellationToken.None)) > 0)
            await AppendAsync(buffer.AsMemory(0, read));
    }

    private async Task AppendAsync(ReadOnlyMemory<char> chunk)
    {
        TotalChars += chunk.Length;
        if (spill is null)
        {
            var room = headChars - head.Length;
            if (chunk.Length <= room)
            {
                head.Append(chunk.Span);
                return;
            }

            head.Append(chunk.Span[..room]);
            spill = new StreamWriter(new FileStream(spillPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous), new UTF8Encoding(false));
            await spill.WriteAsync(head);
            stored = head.Length;
            chunk = chunk[room..];
        }

        var keep = (int)Math.Min(chunk.Length, storedChars - stored);
        if (keep > 0)
        {
            await spill.WriteAsync(chunk[..keep]);
            stored += keep;
        }
    }

    /// <summary>What the variable keeps: the first characters, never ending in half a surrogate pair.</summary>
    public string Head()
    {
        var text = head.ToString();
        return Truncated && text.Length > 0 && char.IsHighSurrogate(text[^1]) ? text[..^1] : text;
    }

    /// <summary>The whole text as far as it was kept, with a closing note when the stored cap cut it;
    /// null when the head holds all of it.</summary>
    public async Task<string?> FullTextAsync(CancellationToken cancellationToken)
    {
        if (spill is null) return null;
        await spill.DisposeAsync();
        var text = await File.ReadAllTextAsync(spillPath, cancellationToken);
        return stored < TotalChars
            ? text + $"\n[output cut: {stored} of {TotalChars} characters kept]\n"
            : text;
    }

    public async ValueTask DisposeAsync()
    {
        if (spill is not null) await spill.DisposeAsync();
        File.Delete(spillPath);
    }
}
