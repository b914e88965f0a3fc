// Member verdicts and quorums with uncertainty: see README "How the console judges a member".
export * from './evidence';
export * from './replica';
export * from './manager';
export * from './quorum';
