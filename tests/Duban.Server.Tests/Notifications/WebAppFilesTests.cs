using System.IO.Compression;
using System.Net;
using System.Text;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Notifications;

/// <summary>
/// First-screen speed (docs/decisions/040): the build's brotli/gzip copies are sent to browsers that accept them, hashed
/// assets are cached for a year, index.html is revalidated — the server's own pipeline on a folder of files like vite's.
/// </summary>
public sealed class WebAppFilesTests : IAsyncLifetime
{
    private const string Script = "console.log('督办');\n";
    private readonly string _root = Directory.CreateTempSubdirectory("duban-www-").FullName;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "assets"));
        await File.WriteAllTextAsync(Path.Combine(_root, "index.html"), "<!doctype html><title>督办</title>");
        await File.WriteAllTextAsync(Path.Combine(_root, "assets", "index-AbC123.js"), Script);
        await File.WriteAllBytesAsync(Path.Combine(_root, "assets", "index-AbC123.js.gz"), Gzip(Script));
        await File.WriteAllBytesAsync(Path.Combine(_root, "assets", "index-AbC123.js.br"), Brotli(Script));

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { WebRootPath = _root, EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Services.AddDubanWebAppFiles();
        _app = builder.Build();
        _app.UseDefaultFiles();
        _app.UseDubanPrecompressedFiles();
        _app.UseStaticFiles();
        _app.MapFallbackToFile("index.html");
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    private static byte[] Brotli(string text)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Optimal)) brotli.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? acceptEncoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task A_hashed_asset_is_sent_as_brotli_or_gzip_as_accepted_and_cached_for_a_year()
    {
        using var br = await GetAsync("/assets/index-AbC123.js", "gzip, deflate, br");
        Assert.Equal(HttpStatusCode.OK, br.StatusCode);
        Assert.Equal(["br"], br.Content.Headers.ContentEncoding);
        Assert.Equal("text/javascript", br.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Brotli(Script), await br.Content.ReadAsByteArrayAsync());
        Assert.Equal(WebAppFiles.Immutable, br.Headers.CacheControl?.ToString());
        Assert.Contains("Accept-Encoding", br.Headers.Vary);

        using var gz = await GetAsync("/assets/index-AbC123.js", "gzip, br;q=0");
        Assert.Equal(["gzip"], gz.Content.Headers.ContentEncoding);
        Assert.Equal(Gzip(Script), await gz.Content.ReadAsByteArrayAsync());

        using var plain = await GetAsync("/assets/index-AbC123.js", null);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(Script, await plain.Content.ReadAsStringAsync());
        Assert.Equal(WebAppFiles.Immutable, plain.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Index_html_is_revalidated_on_every_visit_also_as_the_fallback_of_a_page_address()
    {
        foreach (var path in new[] { "/", "/tasks/0190c0de-0000-7000-8000-000000000001" })
        {
            using var response = await GetAsync(path, "gzip, br");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(WebAppFiles.Revalidate, response.Headers.CacheControl?.ToString());
        }
    }

    [Theory]
    [InlineData("gzip, deflate, br", "br", true)]
    [InlineData("gzip;q=0.5, br;q=0", "br", false)]
    [InlineData("gzip;q=0.5, br;q=0", "gzip", true)]
    [InlineData("identity", "gzip", false)]
    [InlineData("", "br", false)]
    public void Accept_encoding_is_read_with_its_weights(string header, string encoding, bool accepted) =>
        Assert.Equal(accepted, WebAppFiles.Accepts(header, encoding));
}
