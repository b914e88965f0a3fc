// Shown on every page when sign-in is turned off: nobody should miss that.
export function AuthOffBanner() {
  return (
    <div
      role="alert"
      data-testid="auth-off-banner"
      className="bg-red-700 px-4 py-2 text-center text-sm font-semibold text-white"
    >
      Sign-in is OFF (AUTH=off): anyone who can reach this console is an administrator. Use it only
      on your own machine.
    </div>
  );
}
