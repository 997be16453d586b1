import { useState } from "preact/hooks";
import type { Api, Me, Member, Role } from "./api";
import type { ProjectStore } from "./store";
import { Control, ErrorLine, formatTime, roleNames, roles, useAction } from "./ui";

/** Who is in the project. Owners add members by user id, change roles and remove; everyone else sees the list. */
export function Members({ api, store, me, members }: { api: Api; store: ProjectStore; me: Me; members: Member[] }) {
  const owner = store.roleOf(me.id) === "owner";
  const { error, busy, run } = useAction();
  const [userId, setUserId] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("member");

  const put = async (id: string, body: { role: Role; name?: string | null }) => {
    const member = await run(() => api.putMember(store.key, id, body));
    if (member) {
      store.putMember(member);
      store.notify();
    }
    return member;
  };
  const remove = async (m: Member) => {
    const done = await run(async () => { await api.removeMember(store.key, m.userId); return true; });
    if (done) {
      store.members.delete(m.userId);
      store.notify();
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    if (await put(userId.trim(), { role, name: name.trim() || null })) {
      setUserId("");
      setName("");
    }
  };

  return (
    <section class="page members" aria-labelledby="members-title">
      <div class="page-head"><h2 id="members-title">Members</h2></div>
      <ErrorLine error={error} />
      <table>
        <thead>
          <tr><th scope="col">Name</th><th scope="col">User id</th><th scope="col">Role</th><th scope="col">Member since</th>{owner && <th scope="col"><span class="sr-only">Actions</span></th>}</tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId} data-member={m.userId}>
              <td>{m.name}{m.userId === me.id && <span class="muted"> (you)</span>}</td>
              <td class="mono">{m.userId}</td>
              <td>
                {owner ? (
                  <select aria-label={`Role of ${m.name}`} value={m.role} disabled={busy} onChange={(e) => void put(m.userId, { role: e.currentTarget.value as Role })}>
                    {roles.map((r) => <option key={r} value={r}>{roleNames[r]}</option>)}
                  </select>
                ) : roleNames[m.role]}
              </td>
              <td>{formatTime(m.since)}</td>
              {owner && <td><button type="button" class="danger" disabled={busy} onClick={() => void remove(m)}>Remove<span class="sr-only"> {m.name}</span></button></td>}
            </tr>
          ))}
        </tbody>
      </table>
      {owner && (
        <form class="add-member" onSubmit={add} aria-labelledby="add-member-title">
          <h3 id="add-member-title">Add a member</h3>
          <Control id="member-id" label="User id">
            <input id="member-id" type="text" required value={userId} onInput={(e) => setUserId(e.currentTarget.value)} />
          </Control>
          <Control id="member-name" label="Display name">
            <input id="member-name" type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </Control>
          <Control id="member-role" label="Role">
            <select id="member-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {roles.map((r) => <option key={r} value={r}>{roleNames[r]}</option>)}
            </select>
          </Control>
          <button type="submit" class="primary" disabled={busy || !userId.trim()}>Add member</button>
        </form>
      )}
    </section>
  );
}
