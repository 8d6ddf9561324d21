using Pipelines.Shared.Runtime;

namespace Pipelines.Orders.Transform;

/// <summary>orders-firehose-transform's init: a pure transform, so nothing to configure or connect.</summary>
internal static class FunctionStartup
{
    public static Task<IStreamHandler> CreateHandlerAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IStreamHandler>(new OrdersTransformHandler());
    }
}
