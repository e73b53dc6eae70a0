// The console's language is the account's (User.language, saved with updateMyProfile): the
// server then writes its messages in it too (notifications, e-mails), and the next sign-in,
// on any browser, starts in it. A user who may not edit a profile keeps the choice in this
// browser only (i18n/index.ts: localStorage).
import { useCallback } from "react";
import { useMutation } from "urql";
import { graphql } from "../gql";
import { setLanguage, type Language } from "../i18n";
import { useAbilities } from "./permissions";

export const SaveLanguageDocument = graphql(`
  mutation SaveLanguage($language: String) {
    updateMyProfile(input: { language: $language }) {
      user {
        id
        language
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

/** Switch the console to `language` and save it as the account's. */
export function useLanguageChoice(): (language: Language) => void {
  const { can } = useAbilities();
  const [, save] = useMutation(SaveLanguageDocument);
  return useCallback(
    (language: Language) => {
      setLanguage(language);
      if (can("updateMyProfile")) void save({ language });
    },
    [can, save],
  );
}
