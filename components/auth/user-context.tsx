'use client';
// Who is signed in, for client components that hide what a role cannot do (the server is the gate).
import { createContext, useContext } from 'react';

export interface CurrentUser {
  username: string;
  isAdmin: boolean;
}

export interface AuthState {
  user: CurrentUser | null;
  /** False with AUTH=off: everyone acts as a local administrator. */
  signInRequired: boolean;
}

const AuthContext = createContext<AuthState>({ user: null, signInRequired: true });

export function AuthProvider({ value, children }: { value: AuthState; children: React.ReactNode }) {
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  return useContext(AuthContext);
}
