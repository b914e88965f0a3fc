// The demo cluster's own accounts, shown on the sign-in page in demo mode only.
import { buttonClass } from '@/components/ui/styles';
export interface DemoUserCredentials {
  username: string;
  password: string;
  isAdmin: boolean;
  /** What they may do, when it differs between clusters ("change things on dr; view on prod"). */
  can?: string;
}

/** Click "Use" to fill the form with that account. */
export function DemoUsers({
  users,
  onUse,
}: {
  users: DemoUserCredentials[];
  onUse: (user: DemoUserCredentials) => void;
}) {
  return (
    <section
      aria-labelledby="demo-users-title"
      data-testid="demo-users"
      className="rounded-lg border border-dashed border-violet-400 bg-violet-50 p-4 text-sm dark:border-violet-600 dark:bg-violet-950"
    >
      <h2 id="demo-users-title" className="font-semibold">
        Demo accounts
      </h2>
      <p className="mt-1 text-slate-700 dark:text-slate-300">
        The built-in demo cluster has its own users. Their passwords change each time the console
        starts.
      </p>
      <table className="mt-3 w-full text-left">
        <thead>
          <tr>
            <th scope="col" className="py-1 pr-2 font-medium">
              User
            </th>
            <th scope="col" className="py-1 pr-2 font-medium">
              Password
            </th>
            <th scope="col" className="py-1 pr-2 font-medium">
              Can
            </th>
            <th scope="col" className="py-1">
              <span className="sr-only">Fill in</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.username} data-testid={`demo-user-${user.username}`}>
              <td className="py-1 pr-2 font-mono">{user.username}</td>
              <td className="py-1 pr-2 font-mono break-all" data-testid="demo-user-password">
                {user.password}
              </td>
              <td className="py-1 pr-2" data-testid="demo-user-can">
                {user.can ?? (user.isAdmin ? 'change things' : 'view')}
              </td>
              <td className="py-1 text-right">
                <button type="button" className={buttonClass.secondary} onClick={() => onUse(user)}>
                  Use<span className="sr-only"> {user.username}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
