using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.OAuth;

/// The rule "is this token due" is one expression: the C# the engine read and the refresh route run, and the
/// SQL the background scan runs, must agree on every row, on both engines.
public abstract class RefreshDueTests(OAuthFixture fixture)
{
    private static readonly ConnectionType[] Types =
        [ConnectionType.OAuth2, ConnectionType.PlatformOAuth2, ConnectionType.CloudOAuth2, ConnectionType.SecretText];
    private static readonly ConnectionStatus[] Statuses = [ConnectionStatus.Active, ConnectionStatus.Error, ConnectionStatus.Missing];
    private static readonly TimeSpan?[] NextRefreshOffsets =
        [null, TimeSpan.FromHours(-1), TimeSpan.FromMilliseconds(-1), TimeSpan.Zero, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(30)];
    private static readonly TimeSpan?[] LeaseOffsets = [null, TimeSpan.FromSeconds(-1), TimeSpan.Zero, TimeSpan.FromSeconds(60)];

    [Fact]
    public async Task DueAt_TableOfCases_SelectsExactlyTheRowsIsDueAccepts()
    {
        var (rows, _, now) = await SeedTableAsync();

        var selected = await fixture.App.WithDbAsync(db => db.AppConnections.AsNoTracking()
            .Where(RefreshDue.DueAt(now))
            .Where(c => rows.Select(r => r.Id).Contains(c.Id))
            .Select(c => c.Id)
            .ToListAsync());

        var expected = rows.Where(r => RefreshDue.IsDue(r, now)).Select(r => r.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.NotEqual(rows.Count, expected.Count);
        Assert.Equal(expected, selected.Order().ToList());
    }

    [Fact]
    public async Task WorkerScan_TableOfCases_TakesTheDueRowsThatAreScheduledUnleasedAndOnAnEnabledPlatform()
    {
        var (rows, disabledPlatformId, now) = await SeedTableAsync();

        var scanned = await fixture.App.WithDbAsync(db => RefreshWorker.Due(db, now)
            .Where(c => rows.Select(r => r.Id).Contains(c.Id))
            .Select(c => c.Id)
            .ToListAsync());

        var expected = rows
            .Where(r => RefreshDue.IsDue(r, now) && r.NextRefreshAt is not null && !(r.RefreshLeaseUntil >= now) && r.PlatformId != disabledPlatformId)
            .Select(r => r.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, scanned.Order().ToList());
    }

    [Fact]
    public void IsDue_ActiveOAuth2_FollowsTheSchedule()
    {
        var now = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        Assert.True(RefreshDue.IsDue(Row(ConnectionType.OAuth2, ConnectionStatus.Active, nextRefreshAt: null), now));
        Assert.True(RefreshDue.IsDue(Row(ConnectionType.OAuth2, ConnectionStatus.Active, now), now));
        Assert.False(RefreshDue.IsDue(Row(ConnectionType.OAuth2, ConnectionStatus.Active, now.AddTicks(10)), now));
        Assert.False(RefreshDue.IsDue(Row(ConnectionType.OAuth2, ConnectionStatus.Error, now.AddHours(-1)), now));
        Assert.False(RefreshDue.IsDue(Row(ConnectionType.SecretText, ConnectionStatus.Active, nextRefreshAt: null), now));
    }

    /// Every combination of type, status, schedule (unscheduled, overdue, just due, due now, backing off), lease
    /// (none, lapsed, ending now, held) and platform (enabled, disabled), in two platforms of their own.
    private async Task<(List<AppConnection> Rows, string DisabledPlatformId, DateTime Now)> SeedTableAsync()
    {
        var (_, enabledProject) = await fixture.App.OtherPlatformAsync();
        var (_, disabledProject) = await fixture.App.OtherPlatformAsync();
        var now = DateTime.UnixEpoch.AddSeconds(fixture.Time.GetUtcNow().ToUnixTimeSeconds());
        return await fixture.App.WithDbAsync(async db =>
        {
            var projects = await db.Projects.Where(p => p.Id == enabledProject || p.Id == disabledProject).ToDictionaryAsync(p => p.Id, p => p.PlatformId);
            var disabledPlatformId = projects[disabledProject];
            await db.Platforms.Where(p => p.Id == disabledPlatformId).ExecuteUpdateAsync(s => s.SetProperty(p => p.DisabledAt, now));
            var rows = (
                from projectId in new[] { enabledProject, disabledProject }
                from type in Types
                from status in Statuses
                from next in NextRefreshOffsets
                from lease in LeaseOffsets
                select Row(type, status, now + next, now + lease, projects[projectId], projectId)).ToList();
            db.AppConnections.AddRange(rows);
            await db.SaveChangesAsync();
            return (rows, disabledPlatformId, now);
        });
    }

    private static AppConnection Row(ConnectionType type, ConnectionStatus status, DateTime? nextRefreshAt, DateTime? leaseUntil = null,
        string platformId = "p", string projectId = "q") => new()
    {
        Id = Ids.New(),
        PlatformId = platformId,
        ExternalId = Api.Unique("due"),
        Scope = ConnectionScope.Project,
        ScopeKey = projectId,
        DisplayName = "Due table",
        PieceName = "@acme/piece-crm",
        Type = type,
        Status = status,
        Value = "v1:none",
        Version = 1,
        NextRefreshAt = nextRefreshAt,
        RefreshLeaseOwner = leaseUntil is null ? null : "another-replica",
        RefreshLeaseUntil = leaseUntil,
    };
}

public sealed class RefreshDueSqliteTests(SqliteOAuthFixture fixture) : RefreshDueTests(fixture), IClassFixture<SqliteOAuthFixture>;

public sealed class RefreshDuePostgresTests(PostgresOAuthFixture fixture) : RefreshDueTests(fixture), IClassFixture<PostgresOAuthFixture>;
