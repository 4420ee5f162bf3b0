//! Statements over one connection, each prepared once per connection and kept: a statement
//! given as text would be prepared again on every call, a second round trip to the database.

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, GenericClient, IsolationLevel, Row, Statement, Transaction};

use crate::pool::Fail;

/// A connection with the statements prepared on it.
pub(crate) struct Session {
    pub(crate) client: Client,
    pub(crate) statements: HashMap<String, Statement>,
}

impl Session {
    pub(crate) fn new(client: Client) -> Session {
        Session {
            client,
            statements: HashMap::new(),
        }
    }

    /// The connection with its statements, to run reads on.
    pub(crate) fn sql(&mut self) -> Sql<'_, Client> {
        Sql {
            conn: &mut self.client,
            statements: &mut self.statements,
        }
    }
}

/// A connection or transaction (`C`) and the statements prepared on its connection.
pub(crate) struct Sql<'a, C> {
    pub(crate) conn: &'a mut C,
    pub(crate) statements: &'a mut HashMap<String, Statement>,
}

type Params<'p> = [&'p (dyn ToSql + Sync)];

impl<C: GenericClient> Sql<'_, C> {
    fn prepared(&mut self, sql: &str) -> Result<Statement, Fail> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.conn.prepare(sql)?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    pub(crate) fn query(&mut self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>, Fail> {
        let statement = self.prepared(sql)?;
        Ok(self.conn.query(&statement, params)?)
    }

    pub(crate) fn query_one(&mut self, sql: &str, params: &Params<'_>) -> Result<Row, Fail> {
        let statement = self.prepared(sql)?;
        Ok(self.conn.query_one(&statement, params)?)
    }

    pub(crate) fn query_opt(
        &mut self,
        sql: &str,
        params: &Params<'_>,
    ) -> Result<Option<Row>, Fail> {
        let statement = self.prepared(sql)?;
        Ok(self.conn.query_opt(&statement, params)?)
    }

    pub(crate) fn execute(&mut self, sql: &str, params: &Params<'_>) -> Result<u64, Fail> {
        let statement = self.prepared(sql)?;
        Ok(self.conn.execute(&statement, params)?)
    }
}

impl Sql<'_, Client> {
    /// Runs `f` in a read-only transaction on one snapshot, for reads of several statements that
    /// must agree with each other.
    pub(crate) fn snapshot<T>(
        &mut self,
        f: impl FnOnce(&mut Sql<'_, Transaction<'_>>) -> Result<T, Fail>,
    ) -> Result<T, Fail> {
        let mut tx = self
            .conn
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let out = f(&mut Sql {
            conn: &mut tx,
            statements: self.statements,
        })?;
        tx.commit()?;
        Ok(out)
    }
}
