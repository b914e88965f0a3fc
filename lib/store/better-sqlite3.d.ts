// The part of better-sqlite3's API the store uses. @types/better-sqlite3 is not installed; once it
// is, delete this file (the names below match it, so no other code changes).
declare module 'better-sqlite3' {
  namespace BetterSqlite3 {
    interface RunResult {
      changes: number | bigint;
      lastInsertRowid: number | bigint;
    }
    interface Statement {
      readonly reader: boolean;
      all(...params: unknown[]): unknown[];
      get(...params: unknown[]): unknown;
      run(...params: unknown[]): RunResult;
      iterate(...params: unknown[]): IterableIterator<unknown>;
    }
    interface Options {
      readonly?: boolean;
      fileMustExist?: boolean;
      /** busy timeout in ms */
      timeout?: number;
    }
    interface Database {
      readonly name: string;
      readonly open: boolean;
      readonly memory: boolean;
      prepare(source: string): Statement;
      exec(source: string): this;
      pragma(source: string, options?: { simple?: boolean }): unknown;
      close(): this;
    }
  }
  const BetterSqlite3: new (
    filename?: string,
    options?: BetterSqlite3.Options,
  ) => BetterSqlite3.Database;
  export = BetterSqlite3;
}
