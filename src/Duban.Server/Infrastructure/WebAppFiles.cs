using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Duban.Server.Infrastructure;

/// <summary>
/// How the web app's files leave the server (docs/decisions/040). The build writes a brotli (.br) and a gzip (.gz) copy
/// next to each text file (designer/scripts/compress-dist.mjs); a browser that accepts one gets it, with
/// <c>Content-Encoding</c> and <c>Vary: Accept-Encoding</c>, and nothing is compressed per request. Vite names the files
/// under <c>/assets/</c> by their content's hash, so they are cached for a year and never asked for again
/// (<c>immutable</c>); <c>index.html</c>, which names the current ones, is revalidated on every visit (<c>no-cache</c>).
/// </summary>
internal static class WebAppFiles
{
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string Revalidate = "no-cache";

    private static readonly FileExtensionContentTypeProvider Types = new();

    public static IServiceCollection AddDubanWebAppFiles(this IServiceCollection services) =>
        services.AddSingleton<IConfigureOptions<StaticFileOptions>, ConfigureWebAppFiles>();

    /// <summary>Before the static files: a request for a file with a precompressed copy the browser accepts is served that copy.</summary>
    public static IApplicationBuilder UseDubanPrecompressedFiles(this IApplicationBuilder app)
    {
        var files = app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        return app.Use((http, next) =>
        {
            var path = http.Request.Path.Value;
            if ((HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) && path is not null
                && !path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) && Path.HasExtension(path)
                && !path.EndsWith(".br", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                var accepted = http.Request.Headers.AcceptEncoding.ToString();
                foreach (var (encoding, suffix) in new[] { ("br", ".br"), ("gzip", ".gz") })
                {
                    if (!Accepts(accepted, encoding) || !files.GetFileInfo(path + suffix).Exists) continue;
                    http.Request.Path = path + suffix;
                    http.Response.Headers.ContentEncoding = encoding;
                    break;
                }
                // Whether or not a copy was sent, the answer depends on Accept-Encoding for files that have copies.
                if (files.GetFileInfo(path + ".gz").Exists || files.GetFileInfo(path + ".br").Exists)
                    http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
            }
            return next(http);
        });
    }

    /// <summary>Whether an Accept-Encoding header accepts <paramref name="encoding"/> (listed, and not with q=0).</summary>
    public static bool Accepts(string header, string encoding)
    {
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            if (!string.Equals(pieces[0], encoding, StringComparison.OrdinalIgnoreCase)) continue;
            var q = pieces.Skip(1).FirstOrDefault(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase));
            return q is null || !double.TryParse(q[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || value > 0;
        }
        return false;
    }

    private sealed class ConfigureWebAppFiles : IConfigureOptions<StaticFileOptions>
    {
        public void Configure(StaticFileOptions options)
        {
            options.ContentTypeProvider = new CompressedAware();
            options.OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                var name = context.File.Name;
                if (name.EndsWith(".br", StringComparison.Ordinal) || name.EndsWith(".gz", StringComparison.Ordinal))
                    name = name[..^3];
                var path = context.Context.Request.Path.Value ?? "";
                headers.CacheControl = path.StartsWith("/assets/", StringComparison.Ordinal) ? Immutable
                    : string.Equals(name, "index.html", StringComparison.OrdinalIgnoreCase) ? Revalidate
                    : "public, max-age=3600";
            };
        }
    }

    /// <summary>A precompressed copy has the type of the file it copies (<c>x.js.br</c> is JavaScript).</summary>
    private sealed class CompressedAware : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType)
        {
            if (subpath.EndsWith(".br", StringComparison.OrdinalIgnoreCase) || subpath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                subpath = subpath[..^3];
            return Types.TryGetContentType(subpath, out contentType!);
        }
    }
}
