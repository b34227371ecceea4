using Duban.Data.Instances;
using Duban.Engine.Chasing;
using Duban.Engine.Directory;
using Duban.Engine.Execution;

namespace Duban.Data.Writes;

/// <summary>
/// The documents a design names (docs/decisions/047), as the writes that run the design see them: the document feature
/// implements it; the runtime (an outcome's documents) and chasing (a rung's) call it through
/// <see cref="WriteContext.Services"/>, so neither depends on how a document is made. A host without documents (the
/// simulation's sandbox) has none registered, and nothing is generated there.
/// </summary>
public interface IDesignedDocuments
{
    /// <summary>The documents a run's outcomes asked for, each generated and sent to the item's 主办 and 协办 units.</summary>
    Task ForOutcomesAsync(WriteContext context, InstanceRecord instance, IReadOnlyList<DocumentRequest> requests, Actor actor, CancellationToken ct);

    /// <summary>A raised rung's document, generated for the chased unit and sent to it.</summary>
    Task ForRungAsync(WriteContext context, InstanceRecord instance, LadderRung rung, string unitId, Actor actor, CancellationToken ct);

    /// <summary>The template keys among <paramref name="keys"/> that the organization has no template for.</summary>
    Task<IReadOnlyList<string>> UnknownTemplatesAsync(DubanDbContext db, string organizationId, IEnumerable<string> keys, CancellationToken ct);
}
