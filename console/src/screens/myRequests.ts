// Accueil's MY REQUESTS query, in its own small module: the entry (main.tsx) asks for it
// while the rest of the console is still loading when the page opened is Accueil
// (api/prefetch.ts).
import { graphql } from "../gql";

export const MyRequestsDocument = graphql(`
  query MyRequests {
    me {
      id
      requests(filter: { relation: ANY }, first: 20) {
        totalCount
        edges {
          node {
            id
            reference
            status
            type
            author {
              id
            }
            assignee {
              id
            }
            company {
              id
              legalName
            }
          }
        }
      }
    }
  }
`);
