export * from './context';
export * from './driver';
export * from './demo-driver';
export * from './engine-driver';
export * from './execute';
export * from './read';
export * from './recovery';
export * from './bring-back';
