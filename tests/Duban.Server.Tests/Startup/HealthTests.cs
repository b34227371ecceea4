using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Timers;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Startup;

/// <summary>Liveness and readiness (docs/decisions/020): readiness tells the truth about the database and the background backlog.</summary>
public sealed class HealthTests
{
    private static WebApplicationFactory<Program> Host(DatabaseTarget database, string? connectionString = null) =>
        StartupHosts.Create(database, new ScriptedHook("host", new StartupTimeline()), settings: new Dictionary<string, string>
        {
            // The chase worker would drop the test's chase case (no open step behind it); the timer worker is off already.
            ["Duban:Chasing:Enabled"] = "false",
            // Likewise the compaction worker would settle the test's queued items (no item behind them).
            ["Duban:Compaction:Enabled"] = "false",
            ["ConnectionStrings:Duban"] = connectionString ?? database.ConnectionString ?? "",
        });

    private static async Task<(HttpStatusCode Status, JsonObject Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static string Status(JsonObject body, string? check = null) =>
        (check is null ? body["status"] : body["checks"]![check]!["status"])!.GetValue<string>();

    private static JsonObject Backlog(JsonObject body) => body["checks"]!["backlog"]!["data"]!.AsObject();

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Readiness_reports_the_database_and_the_background_backlog(string provider)
    {
        // A copy of a first-started database (migrated and seeded as a first start leaves it): readiness, not the first
        // start, is under test here (FirstStartTests test that), and a first start costs ~10 s a provider.
        await using var database = await DatabaseTarget.SeededAsync(provider);
        await using var host = Host(database);
        var client = host.CreateClient();

        var (status, body) = await GetAsync(client, "/api/health/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", Status(body));
        Assert.Equal("healthy", Status(body, "database"));
        Assert.Equal(0, Backlog(body)["timersDue"]!.GetValue<int>());
        Assert.Equal(0, Backlog(body)["chaseCasesDue"]!.GetValue<int>());
        Assert.Null(Backlog(body)["timersOldestDueAt"]);
        Assert.Equal(0, Backlog(body)["compactionsDue"]!.GetValue<int>());

        // A timer ten minutes overdue, one due in the future, a chase case that gave up two minutes ago, and two closed
        // items whose journal waits to be compacted (one since an hour ago, one later).
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            db.Set<Data.Instances.ItemCompactionRecord>().Add(new Data.Instances.ItemCompactionRecord { Id = Guid.NewGuid(), InstanceId = Guid.NewGuid(), DueAt = DateTimeOffset.UtcNow.AddHours(-1) });
            db.Set<Data.Instances.ItemCompactionRecord>().Add(new Data.Instances.ItemCompactionRecord { Id = Guid.NewGuid(), InstanceId = Guid.NewGuid(), DueAt = DateTimeOffset.UtcNow.AddHours(2) });
            await db.SaveChangesAsync();
        }
        (_, body) = await GetAsync(client, "/api/health/ready");
        // Paced housekeeping: shown with its size, not lateness.
        Assert.Equal("healthy", Status(body, "backlog"));
        Assert.Equal(1, Backlog(body)["compactionsDue"]!.GetValue<int>());
        Assert.Contains("1 个已办结事项的记录待压缩", body["checks"]!["backlog"]!["description"]!.GetValue<string>());

        var now = DateTimeOffset.UtcNow;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            db.Timers.Add(new TimerRecord { Id = Guid.NewGuid(), InstanceId = Guid.NewGuid(), BookmarkId = "b1", ActivityId = "wait", DueAt = now.AddMinutes(-10) });
            db.Timers.Add(new TimerRecord { Id = Guid.NewGuid(), InstanceId = Guid.NewGuid(), BookmarkId = "b2", ActivityId = "wait", DueAt = now.AddHours(1) });
            db.Set<ChaseCaseRecord>().Add(new ChaseCaseRecord
            {
                Id = Guid.NewGuid(), InstanceId = Guid.NewGuid(), UnitId = "fzc", DueAt = now.AddDays(-1), NextCheckAt = now.AddMinutes(-2),
                Attempts = Duban.Data.Jobs.LeaseClaimer.MaxAttempts, UpdatedAt = now,
            });
            await db.SaveChangesAsync();
        }

        (status, body) = await GetAsync(client, "/api/health/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        // Behind, but this instance can serve: degraded, still 200.
        Assert.Equal("degraded", Status(body));
        Assert.Equal("degraded", Status(body, "backlog"));
        var backlog = Backlog(body);
        Assert.Equal(1, backlog["timersDue"]!.GetValue<int>());
        Assert.Equal(0, backlog["timersParked"]!.GetValue<int>());
        Assert.Equal(1, backlog["chaseCasesDue"]!.GetValue<int>());
        Assert.Equal(1, backlog["chaseCasesParked"]!.GetValue<int>());
        Assert.InRange(backlog["timersOldestDueAt"]!.GetValue<DateTimeOffset>(), now.AddMinutes(-10).AddSeconds(-1), now.AddMinutes(-10).AddSeconds(1));
        Assert.InRange(backlog["oldestDueSeconds"]!.GetValue<double>(), 599, 900);
        Assert.Contains("暂停", body["checks"]!["backlog"]!["description"]!.GetValue<string>());

        // The old address answers as readiness does.
        var (oldStatus, oldBody) = await GetAsync(client, "/api/health");
        Assert.Equal(HttpStatusCode.OK, oldStatus);
        Assert.Equal(1, Backlog(oldBody)["timersDue"]!.GetValue<int>());
    }

    [Fact]
    public async Task Readiness_is_503_while_PostgreSQL_is_down_and_200_again_when_it_is_back()
    {
        // A first-started copy: the first start would otherwise migrate and seed through the forwarder.
        await using var database = await DatabaseTarget.SeededAsync("Postgres");
        var target = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpForwarder(target.Host!, target.Port);
        proxy.Start();
        await using var host = Host(database, new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString);
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/health/ready")).Status);

        // PostgreSQL goes away: connections are cut and new ones refused, as when the server stops.
        await proxy.StopAsync();
        var (status, body) = await GetAsync(client, "/api/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", Status(body));
        Assert.Equal("unhealthy", Status(body, "database"));
        Assert.Equal("数据库（PostgreSQL）无法访问", body["checks"]!["database"]!["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(client, "/api/health")).Status);
        // The process itself is fine: a supervisor must not restart it for the database's sake.
        var (liveStatus, live) = await GetAsync(client, "/api/health/live");
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("healthy", Status(live));
        Assert.Empty(live["checks"]!.AsObject());

        proxy.Start();
        // The pool drops the connections that were cut as it meets them; ready again within a few tries.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((status = (await GetAsync(client, "/api/health/ready")).Status) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Equal(HttpStatusCode.OK, status);
    }
}

/// <summary>
/// A TCP forwarder between the host and PostgreSQL that the test can switch off (cutting every connection and refusing
/// new ones, as a stopped server does) and on again, on the same port.
/// </summary>
internal sealed class TcpForwarder(string targetHost, int targetPort) : IAsyncDisposable
{
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;

    public int Port { get; private set; }

    public void Start()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _stop = new CancellationTokenSource();
        _accepting = AcceptAsync(_listener, _stop.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await listener.AcceptTcpClientAsync(ct); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            var outbound = new TcpClient();
            try { await outbound.ConnectAsync(targetHost, targetPort, ct); }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }
            lock (_open) _open.AddRange([inbound, outbound]);
            _ = PumpAsync(inbound.GetStream(), outbound.GetStream(), inbound, outbound, ct);
            _ = PumpAsync(outbound.GetStream(), inbound.GetStream(), inbound, outbound, ct);
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, TcpClient a, TcpClient b, CancellationToken ct)
    {
        try { await from.CopyToAsync(to, ct); }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException) { }
        a.Dispose();
        b.Dispose();
    }

    public async Task StopAsync()
    {
        if (_listener is null) return;
        await _stop!.CancelAsync();
        _listener.Stop();
        await _accepting!;
        lock (_open)
        {
            foreach (var client in _open)
            {
                try { client.Client?.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
                client.Dispose();
            }
            _open.Clear();
        }
        _stop.Dispose();
        _listener = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
