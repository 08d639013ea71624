using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// /api/v1/connection-definitions: how the platform offers a piece's connection (seed 004). Platform keys write;
/// every caller reads, an embedded user only the definitions marked `embedded`.
public static class ConnectionDefinitionsApi
{
    private const int DefaultLimit = 10;

    public static RouteGroupBuilder MapConnectionDefinitions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/connection-definitions").WithTags("Connection definitions").RequireAuthorization();
        group.MapGet("/", List).WithName("ListConnectionDefinitions").WithSummary("List connection definitions");
        group.MapPost("/", Upsert).RequireAuthorization(Policies.PlatformKey)
            .WithName("UpsertConnectionDefinition").WithSummary("Create or replace a connection definition by stableKey")
            .ProducesApiError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/{id}", Get).WithName("GetConnectionDefinition").WithSummary("Get a connection definition by id or stableKey");
        group.MapPost("/{id}", Update).RequireAuthorization(Policies.PlatformKey)
            .WithName("UpdateConnectionDefinition").WithSummary("Change a definition's name, global values, embedding or organization credential")
            .ProducesApiError(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Policies.PlatformKey)
            .WithName("DeleteConnectionDefinition").WithSummary("Delete a connection definition (with its connections: ?cascade=true)")
            .ProducesApiError(StatusCodes.Status400BadRequest);
        group.MapPost("/{id}/test-value", SetTestValue).RequireAuthorization(Policies.PlatformKey)
            .WithName("SetConnectionDefinitionTestValue").WithSummary("Set the test credential that test-run engine reads get");
        group.MapDelete("/{id}/test-value", RemoveTestValue).RequireAuthorization(Policies.PlatformKey)
            .WithName("RemoveConnectionDefinitionTestValue").WithSummary("Remove the test credential");
        return group;
    }

    private static async Task<Results<Ok<SeekPage<ConnectionDefinitionDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? pieceName, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, DefaultLimit, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        var query = db.VisibleDefinitions(caller).AsNoTracking();
        if (!string.IsNullOrEmpty(pieceName))
        {
            query = query.Where(d => d.PieceName == pieceName);
        }
        return TypedResults.Ok(await query.ToSeekPageAsync(page,
            rows => Task.FromResult<IReadOnlyList<ConnectionDefinitionDto>>(rows.Select(ConnectionDefinitionDto.From).ToList()), ct));
    }

    private static async Task<Results<Ok<ConnectionDefinitionDto>, ApiErrorResult>> Get(Caller caller, PlugboardDb db, string id, CancellationToken ct)
    {
        var definition = await db.VisibleDefinitions(caller).AsNoTracking().ByIdOrKey(id).FirstOrDefaultAsync(ct);
        return definition is null ? new ApiErrorResult(DefinitionWrites.NotFound(id)) : TypedResults.Ok(ConnectionDefinitionDto.From(definition));
    }

    private static async Task<Results<Created<ConnectionDefinitionDto>, Ok<ConnectionDefinitionDto>, ApiErrorResult>> Upsert(
        Caller caller, DefinitionWrites writes, UpsertConnectionDefinitionRequest body, CancellationToken ct)
    {
        var outcome = await writes.UpsertAsync(caller, body, ct);
        if (!outcome.TryGetValue(out var written, out var error))
        {
            return new ApiErrorResult(error);
        }
        var dto = ConnectionDefinitionDto.From(written.Definition);
        return written.Created ? TypedResults.Created($"/api/v1/connection-definitions/{dto.Id}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<ConnectionDefinitionDto>, ApiErrorResult>> Update(
        Caller caller, DefinitionWrites writes, string id, UpdateConnectionDefinitionRequest body, CancellationToken ct)
    {
        var outcome = await writes.UpdateAsync(caller, id, body, ct);
        return outcome.TryGetValue(out var definition, out var error) ? TypedResults.Ok(ConnectionDefinitionDto.From(definition)) : new ApiErrorResult(error);
    }

    private static async Task<Results<NoContent, ApiErrorResult>> Delete(Caller caller, DefinitionWrites writes, string id, bool? cascade, CancellationToken ct)
    {
        var error = await writes.DeleteAsync(caller, id, cascade == true, ct);
        return error is null ? TypedResults.NoContent() : new ApiErrorResult(error);
    }

    /// The test credential is the definition's own part for test runs: validated like a customer's value.
    private static async Task<Results<Ok<ConnectionDefinitionDto>, ApiErrorResult>> SetTestValue(
        Caller caller, DefinitionWrites writes, string id, DefinitionTestValueRequest body, CancellationToken ct)
    {
        var outcome = await writes.SetTestValueAsync(caller, id, body.Value, ct);
        return outcome.TryGetValue(out var definition, out var error) ? TypedResults.Ok(ConnectionDefinitionDto.From(definition)) : new ApiErrorResult(error);
    }

    private static async Task<Results<Ok<ConnectionDefinitionDto>, ApiErrorResult>> RemoveTestValue(
        Caller caller, DefinitionWrites writes, string id, CancellationToken ct)
    {
        var outcome = await writes.RemoveTestValueAsync(caller, id, ct);
        return outcome.TryGetValue(out var definition, out var error) ? TypedResults.Ok(ConnectionDefinitionDto.From(definition)) : new ApiErrorResult(error);
    }
}
