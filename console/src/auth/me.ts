// The signed-in user and what they may do (`me.permissions`): the console's first query.
// Its own small module, because the entry (main.tsx) asks for it while the rest of the
// console is still loading (api/prefetch.ts).
import { graphql } from "../gql";

export const MeDocument = graphql(`
  query Me {
    me {
      id
      email
      fullName
      language
      tenant {
        id
        slug
        name
        timeZone
      }
      permissions {
        operations
        deniedFields
        maskedFields
        requestTypes
      }
    }
  }
`);
