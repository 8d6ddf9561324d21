using Pipelines.Orders.Transform;
using Pipelines.Shared.Runtime;

return await LambdaBootstrap.RunAsync(ct => FunctionStartup.CreateHandlerAsync(ct));
