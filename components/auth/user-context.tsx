'use client';
// Who is signed in, for client components that hide what a role cannot do (the server is the gate).
// The layout hands over the role per cluster once; `useAuth()` reads the one of the cluster the
// browser shows now (its URL), since the layout is not rendered again between clusters.
import { createContext, useContext } from 'react';
import { roleIn, type ClusterRole, type ClusterRoles } from '@/lib/domain/access';
import { useClusterName } from '@/lib/hooks/cluster-url';

export interface CurrentUser {
  username: string;
  /** Admin on the cluster shown now (never on a fleet's console-wide pages). */
  isAdmin: boolean;
  /** The role on the cluster shown now; null: no access there. Console-wide pages: viewer. */
  role: ClusterRole | null;
  /** The cluster shown now; null on a fleet's console-wide pages (the overview, sign-in). */
  cluster: string | null;
  /** Every cluster where the person has a role. */
  roles: ClusterRoles;
}

export interface AuthState {
  user: CurrentUser | null;
  /** False with AUTH=off: everyone acts as a local administrator. */
  signInRequired: boolean;
}

/** What the root layout knows: the person, and which cluster an unprefixed URL is for. */
export interface AuthValue {
  user: { username: string; roles: ClusterRoles } | null;
  signInRequired: boolean;
  /** The only cluster of a one-cluster console; null in a fleet (unprefixed: console-wide). */
  defaultCluster: string | null;
}

const AuthContext = createContext<AuthValue>({
  user: null,
  signInRequired: true,
  defaultCluster: null,
});

export function AuthProvider({ value, children }: { value: AuthValue; children: React.ReactNode }) {
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  const cluster = useClusterName() ?? value.defaultCluster;
  if (!value.user) return { user: null, signInRequired: value.signInRequired };
  const role = roleIn(value.user.roles, cluster);
  return {
    user: {
      username: value.user.username,
      isAdmin: role === 'admin',
      role,
      cluster,
      roles: value.user.roles,
    },
    signInRequired: value.signInRequired,
  };
}
