namespace Kanbatte.Storage.Tests;

/// <summary>How a contract suite gets stores: one factory per implementation.</summary>
public interface IStoreFactory
{
    Task<StoreUnderTest> CreateAsync();
}
