using Pipelines.Catalog.Domain;

namespace Pipelines.Catalog.Priority;

/// <summary>Reads the whole partner-priority table (it holds one small row per content type).</summary>
internal interface IPartnerPrioritySource
{
    Task<PartnerPriorityBook> LoadAsync(CancellationToken cancellationToken);
}
