using Stateless;

namespace ExtraditionCases.Domain.Workflow;

public sealed partial class ExtraditionCase
{
    [ThreadStatic] private static BoundMachine? t_machine;

    /// <summary>
    /// This thread's configured machine, bound to <paramref name="subject"/> until disposed. Configuring a
    /// Stateless machine from the trigger table costs far more than a case load (tens of µs and about 100 KB),
    /// so it is done once per thread, not per case: the machine reads and writes the bound case's state, and its
    /// guards and destinations are given the bound case. A machine is not shared between threads (Stateless is
    /// not thread-safe), and the domain's calls that use it are synchronous, so a binding never crosses an await.
    /// </summary>
    private static BoundMachine MachineFor(ExtraditionCase subject)
    {
        if (t_machine is { } machine)
        {
            machine.Bind(subject);
            return machine;
        }

        // Stateless reads the state while it is constructed: the first binding comes before configuration.
        return t_machine = new BoundMachine(subject);
    }

    /// <summary>One thread's configured machine and the case it is bound to; nested bindings restore the outer one.</summary>
    private sealed class BoundMachine : IDisposable
    {
        private readonly Stack<ExtraditionCase> _outer = new();
        private ExtraditionCase? _case;

        public BoundMachine(ExtraditionCase first)
        {
            _case = first;
            Machine = new StateMachine<CaseState, WorkflowTrigger>(() => Case.State, s => Case.State = s);
            Configure(this);
        }

        public StateMachine<CaseState, WorkflowTrigger> Machine { get; }

        public Dictionary<WorkflowTrigger, StateMachine<CaseState, WorkflowTrigger>.TriggerWithParameters<TransitionContext>> Triggers { get; } = [];

        public ExtraditionCase Case => _case ?? throw new InvalidOperationException("The workflow machine is not bound to a case.");

        public void Bind(ExtraditionCase subject)
        {
            if (_case is not null) _outer.Push(_case);
            _case = subject;
        }

        public bool CanFire(WorkflowTrigger trigger, TransitionContext context) => Machine.CanFire(Triggers[trigger], context);

        public bool CanFire(WorkflowTrigger trigger, TransitionContext context, out ICollection<string> unmetGuards) =>
            Machine.CanFire(Triggers[trigger], context, out unmetGuards);

        public void Fire(WorkflowTrigger trigger, TransitionContext context) => Machine.Fire(Triggers[trigger], context);

        public void Dispose() => _case = _outer.Count > 0 ? _outer.Pop() : null;
    }
}
