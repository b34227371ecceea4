using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Duban.Server.Tests.Notifications;

/// <summary>
/// A real SMTP server on this machine: Python 3.11's <c>smtpd</c> module (the standard library's), run by the test, storing
/// each message it accepts as a file. The dispatcher talks SMTP to it through MailKit exactly as to an office's mail server.
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    private const string Script = """
        import asyncore, os, smtpd, sys, time
        folder, port = sys.argv[1], int(sys.argv[2])
        class Store(smtpd.SMTPServer):
            def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
                name = os.path.join(folder, "%d.eml" % time.time_ns())
                with open(name + ".tmp", "wb") as f:
                    f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
                os.rename(name + ".tmp", name)
        Store(("127.0.0.1", port), None, decode_data=False, enable_SMTPUTF8=True)
        asyncore.loop()
        """;

    private readonly Process _process;
    public string Folder { get; }
    public int Port { get; }

    private LocalSmtpServer(Process process, string folder, int port) => (_process, Folder, Port) = (process, folder, port);

    /// <summary>A free port nobody listens on (yet).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static async Task<LocalSmtpServer> StartAsync(int? port = null)
    {
        var folder = Directory.CreateTempSubdirectory("duban-smtp-").FullName;
        var script = Path.Combine(folder, "server.py");
        await File.WriteAllTextAsync(script, Script);
        var mail = Path.Combine(folder, "mail");
        Directory.CreateDirectory(mail);
        var chosen = port ?? FreePort();
        var start = new ProcessStartInfo("python3", ["-W", "ignore", script, mail, chosen.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var server = new LocalSmtpServer(process, mail, chosen);
        try
        {
            // Ready once it accepts a connection; a loaded machine may take a while to start Python.
            var until = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                Assert.False(process.HasExited, "the SMTP server stopped");
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, chosen);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < until)
                {
                    await Task.Delay(200);
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public IReadOnlyList<MimeMessage> Messages() =>
        [.. Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(Path.GetDirectoryName(Folder)!, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A local HTTP listener standing in for a 钉钉 / 企业微信 group robot: it keeps what it is sent and answers errcode 0.</summary>
public sealed class LocalRobot : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(Uri Url, string Body)> _received = [];
    public string Url { get; }
    /// <summary>What the robot answers (钉钉 and 企业微信 both say errcode 0 when they took the message).</summary>
    public string Answer { get; set; } = "{\"errcode\":0,\"errmsg\":\"ok\"}";

    public LocalRobot()
    {
        var port = LocalSmtpServer.FreePort();
        Url = $"http://127.0.0.1:{port}/robot/send?access_token=test";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public IReadOnlyList<(Uri Url, string Body)> Received
    {
        get { lock (_received) return [.. _received]; }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using var reader = new StreamReader(context.Request.InputStream, System.Text.Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            lock (_received) _received.Add((context.Request.Url!, body));
            var answer = System.Text.Encoding.UTF8.GetBytes(Answer);
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
