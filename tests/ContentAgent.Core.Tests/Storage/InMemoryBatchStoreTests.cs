using ContentAgent.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ContentAgent.Tests.Storage;

public sealed class InMemoryBatchStoreTests : BatchStoreConformanceTests
{
    protected override IBatchStore Store() => TestSupport.Services().GetRequiredService<IBatchStore>();
}
