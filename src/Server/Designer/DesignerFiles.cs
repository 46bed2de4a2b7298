using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace WeOps.Server.Designer;

/// <summary>Serves the web designer (the build of src/Designer) at <c>/</c>, anonymously: the page holds
/// no data, and every call it makes goes to <c>/api</c>, which asks for a key.</summary>
public static class DesignerFiles
{
    public const string PathKey = "Designer:Path";

    /// <summary>Where <c>dotnet publish</c> puts the designer's build, beside the server's assemblies.</summary>
    public const string PublishedFolder = "designer";

    // The page loads only its own scripts and styles; bpmn-js sets inline styles and draws data: images.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>The folder the designer is served from: <c>Designer:Path</c> (relative to the content root), else the
    /// <c>designer</c> folder a publish puts beside the server's assemblies.</summary>
    public static string Folder(IConfiguration configuration, IWebHostEnvironment environment) =>
        configuration[PathKey] is { Length: > 0 } configured
            ? Path.GetFullPath(Path.Combine(environment.ContentRootPath, configured))
            : Path.Combine(AppContext.BaseDirectory, PublishedFolder);

    /// <summary>Before authentication, so the files need no key; the designer routes in the URL fragment
    /// (<c>/#/instances</c>), so no server route can shadow an API path.</summary>
    public static WebApplication UseDesigner(this WebApplication app)
    {
        var folder = Folder(app.Configuration, app.Environment);
        if (!File.Exists(Path.Combine(folder, "index.html")))
        {
            app.Logger.LogWarning("The designer is not built ({Folder} has no index.html): / answers 404. Run 'npm ci && npm run build' in src/Designer, or ./run.sh.", folder);
            app.Use(async (context, next) =>
            {
                if (context.Request.Path == "/" && HttpMethods.IsGet(context.Request.Method))
                {
                    await Results.Problem(statusCode: 404, title: "The designer is not built",
                        detail: "The web designer's files are missing: run 'npm ci && npm run build' in src/Designer (./run.sh does this), "
                            + $"or point {PathKey} at its build, or run the output of 'dotnet publish src/Server', which holds it. The API under /api works without it.").ExecuteAsync(context);
                    return;
                }

                await next(context);
            });
            return app;
        }

        app.Logger.LogInformation("Serving the designer from {Folder}", folder);
        var files = new PhysicalFileProvider(folder);
        var types = new FileExtensionContentTypeProvider();
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UsePrecompressedFiles(files);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new PrecompressedContentTypes(types),
            OnPrepareResponse = context =>
            {
                var http = context.Context;
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                var requested = PrecompressedFiles.RequestedPath(http);
                // Vite names each asset after its content hash, so it never changes; index.html names the current ones.
                var isAsset = requested.StartsWithSegments("/assets", StringComparison.Ordinal);
                headers.CacheControl = isAsset ? "public, max-age=31536000, immutable" : "no-cache";
                if (requested.Value?.EndsWith(".html", StringComparison.Ordinal) == true)
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.XFrameOptions = "DENY";
                }
            },
        });
        return app;
    }

    /// <summary>A precompressed file (<c>app.js.br</c>) has the type of the file it encodes.</summary>
    private sealed class PrecompressedContentTypes(IContentTypeProvider inner) : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType) =>
            inner.TryGetContentType(PrecompressedFiles.Original(subpath), out contentType!);
    }
}
