using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace WeOps.Server.Designer;

/// <summary>Sends the <c>.br</c> or <c>.gz</c> file the designer's build wrote beside a file (ADR 0028) to a browser
/// whose Accept-Encoding takes it, by pointing the request at that file before the static file middleware
/// serves it; every response of a file that has such variants says <c>Vary: Accept-Encoding</c>.</summary>
public static class PrecompressedFiles
{
    private const string RequestedPathItem = "weops.designer.requested-path";

    // Preferred first: brotli is about a fifth smaller than gzip on the designer's scripts.
    private static readonly (string Name, string Extension)[] Encodings = [("br", ".br"), ("gzip", ".gz")];

    /// <summary>The path the browser asked for, before a precompressed variant replaced it.</summary>
    public static PathString RequestedPath(HttpContext context) =>
        context.Items.TryGetValue(RequestedPathItem, out var path) && path is PathString requested ? requested : context.Request.Path;

    /// <summary>The name of the file a precompressed file encodes (<c>app.js</c> for <c>app.js.br</c>).</summary>
    public static string Original(string path)
    {
        foreach (var (_, extension) in Encodings)
        {
            if (path.EndsWith(extension, StringComparison.Ordinal)) return path[..^extension.Length];
        }

        return path;
    }

    public static IApplicationBuilder UsePrecompressedFiles(this IApplicationBuilder app, IFileProvider files) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (!(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) || !path.HasValue)
            {
                await next(context);
                return;
            }

            // The variants are the build's own files, not pages: asked for by name they would arrive without their encoding.
            if (Original(path.Value) != path.Value)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var variants = Encodings.Where(encoding => files.GetFileInfo(path.Value + encoding.Extension).Exists).ToList();
            if (variants.Count == 0 || !files.GetFileInfo(path.Value).Exists)
            {
                await next(context);
                return;
            }

            context.Response.Headers.Vary = HeaderNames.AcceptEncoding;
            var accepted = Accepted(context.Request.Headers.AcceptEncoding);
            foreach (var (name, extension) in variants)
            {
                if (!accepted.Contains(name)) continue;
                context.Items[RequestedPathItem] = path;
                context.Request.Path = path + extension;
                context.Response.Headers.ContentEncoding = name;
                break;
            }

            await next(context);
            // The request log names the file the browser asked for, not its variant.
            context.Request.Path = path;
        });

    /// <summary>The encodings a request accepts with a quality above zero (<c>*</c> accepts every one not refused).</summary>
    private static HashSet<string> Accepted(StringValues header)
    {
        var accepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!StringWithQualityHeaderValue.TryParseList(header, out var values)) return accepted;
        var refused = values.Where(v => v.Quality == 0).Select(v => v.Value.Value!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values.Where(v => v.Quality is null or > 0))
        {
            if (value.Value == "*") accepted.UnionWith(Encodings.Select(e => e.Name).Where(name => !refused.Contains(name)));
            else accepted.Add(value.Value.Value!);
        }

        return accepted;
    }
}
