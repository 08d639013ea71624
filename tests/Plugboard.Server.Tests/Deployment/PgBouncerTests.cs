using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;
using Plugboard.Server.Tests.Telemetry;

namespace Plugboard.Server.Tests.Deployment;

/// Two server processes reaching PostgreSQL through a real PgBouncer in transaction pool mode, started together
/// (so the migration lock is taken through it too), then the API's smoke set through them. PgBouncer hands a
/// server connection to a client per transaction: anything kept on a session (a session advisory lock, a
/// prepared statement) would reach the wrong backend. PgBouncer before 1.21 (Debian 12 has 1.18) keeps no
/// prepared statements at all, hence `Max Auto Prepare=0`, as the README says.
public sealed class PgBouncerTests
{
    private static readonly string? Binary = new[] { "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer" }.FirstOrDefault(File.Exists);

    [Fact]
    public async Task TransactionPooling_TwoServersStartedTogether_SmokeSetPasses()
    {
        Assert.SkipWhen(Binary is null, "pgbouncer is not installed (apt-get install -y pgbouncer; .ci/run installs it in CI).");
        await using var storage = await TestStorage.CreateAsync(DatabaseEngine.Postgres);
        await using var bouncer = await Bouncer.StartAsync(storage.Database!);
        var key = TestKey.New().Base64;
        var database = new NpgsqlConnectionStringBuilder(storage.Database) { Host = "127.0.0.1", Port = bouncer.Port, MaxAutoPrepare = 0 }.ConnectionString;
        Dictionary<string, string> Settings(string name) => new()
        {
            ["PLUGBOARD_DATA_DIR"] = Path.Combine(storage.DataDir, name),
            ["PLUGBOARD_DATABASE"] = database,
            [PlatformBootstrap.AdminKeyVariable] = TestApp.AdminKey,
            [KeyRingLoader.EnvironmentVariable] = key,
            ["PLUGBOARD_RATE_LIMITS"] = "false",
            ["PLUGBOARD_ENGINE_AUDIT_FLUSH_MILLISECONDS"] = "50",
        };
        var started = await Task.WhenAll(ServerProcess.StartAsync("A", Settings("a")), ServerProcess.StartAsync("B", Settings("b")));
        await using var a = started[0];
        await using var b = started[1];
        string Diagnostics() => $"{a.OutputTail(40)}\n{b.OutputTail(40)}\n--- pgbouncer:\n{bouncer.Output}";

        var scenario = await ServerScenario.CreateAsync(a);
        var adminB = b.Client();
        await scenario.ReadManyAsync(20, parallel: 8);
        var list = (await adminB.ApiGetAsync($"/api/v1/app-connections?projectId={scenario.ProjectId}")).AssertStatus(HttpStatusCode.OK);
        var id = Assert.Single(list.Body.GetProperty("data").EnumerateArray()).GetProperty("id").GetString()!;
        (await adminB.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.OK);

        // A burst of upserts on both servers: new connections, and the same externalIds raced from both sides.
        var shared = Enumerable.Range(0, 5).Select(i => Api.Unique($"race{i}")).ToArray();
        var burst = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            (i % 2 == 0 ? scenario.Admin : adminB).ApiPostAsync("/api/v1/app-connections",
                Api.SecretText(scenario.ProjectId, i < 30 ? Api.Unique("burst") : shared[i % 5], $"secret-{i}"))));
        Assert.True(burst.All(r => r.Status is HttpStatusCode.Created or HttpStatusCode.OK), string.Join("\n", burst.Where(r => (int)r.Status >= 300).Select(r => r.Raw)) + Diagnostics());
        var after = (await scenario.Admin.ApiGetAsync($"/api/v1/app-connections?projectId={scenario.ProjectId}&limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(1 + 30 + 5, after.Body.GetProperty("data").GetArrayLength());

        (await adminB.ApiDeleteAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.NoContent);
        (await scenario.Admin.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.NotFound);
        (await scenario.Engine.ApiGetAsync($"/api/v1/worker/app-connections/{Uri.EscapeDataString(scenario.ExternalId)}")).AssertStatus(HttpStatusCode.NotFound);
        await Task.Delay(300);
        Assert.True(await scenario.AuditedReadsAsync() >= 20, Diagnostics());

        Assert.True(a.OutputLinesContaining("fail:").Count == 0 && b.OutputLinesContaining("fail:").Count == 0, Diagnostics());
    }

    /// pgbouncer on a free loopback port in front of the connection string's server, transaction pool mode, trust
    /// auth (the throwaway cluster trusts loopback too). As root it drops to the `postgres` user, as pgbouncer
    /// refuses to run as root; its files are then readable by everyone and it writes nothing but to stderr.
    private sealed class Bouncer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _dir;
        private readonly System.Text.StringBuilder _output = new();

        private Bouncer(Process process, string dir, int port)
        {
            _process = process;
            _dir = dir;
            Port = port;
        }

        public int Port { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static async Task<Bouncer> StartAsync(string postgres)
        {
            var target = new NpgsqlConnectionStringBuilder(postgres);
            var port = ServerProcess.FreePort();
            var dir = Path.Combine(Path.GetTempPath(), $"plugboard-pgbouncer-{Guid.NewGuid():N}");
            Directory.CreateDirectory(dir);
            var user = target.Username ?? "postgres";
            var password = target.Password is { Length: > 0 } p ? $" password={p}" : "";
            var ini = Path.Combine(dir, "pgbouncer.ini");
            var users = Path.Combine(dir, "userlist.txt");
            await File.WriteAllTextAsync(users, $"\"{user}\" \"\"\n");
            await File.WriteAllTextAsync(ini, $"""
                [databases]
                * = host={target.Host} port={target.Port}{password}

                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = {port}
                unix_socket_dir =
                auth_type = trust
                auth_file = {users}
                pool_mode = transaction
                max_client_conn = 500
                default_pool_size = 20
                ignore_startup_parameters = extra_float_digits,options
                """);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
                File.SetUnixFileMode(ini, (UnixFileMode)Convert.ToInt32("644", 8));
                File.SetUnixFileMode(users, (UnixFileMode)Convert.ToInt32("644", 8));
            }
            var start = new ProcessStartInfo(Binary!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Environment.UserName == "root")
            {
                start.ArgumentList.Add("-u");
                start.ArgumentList.Add("postgres");
            }
            start.ArgumentList.Add(ini);
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start pgbouncer");
            var bouncer = new Bouncer(process, dir, port);
            process.OutputDataReceived += (_, e) => bouncer.Add(e.Data);
            process.ErrorDataReceived += (_, e) => bouncer.Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            for (var waited = Stopwatch.StartNew(); ; await Task.Delay(100))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"pgbouncer exited with {process.ExitCode}:\n{bouncer.Output}");
                }
                try
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync(IPAddress.Loopback, port);
                    return bouncer;
                }
                catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(15))
                {
                }
            }
        }

        private void Add(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
