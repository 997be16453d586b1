namespace Kanbatte.Application;

public enum TaskSort { Number, Rank, Priority, UpdatedAt, DueDate }
