"""The messages of top-level errors (`extensions.code`: authentication, permissions,
not found, limits, timeouts, internal errors), in French and English, by key."""

API_ERRORS: dict[str, dict[str, str]] = {
    # Top-level errors (extensions.code), in the reader's language too
    "authentication_required": {
        "fr": "Authentification requise : connectez-vous d'abord.",
        "en": "Authentication required: log in first.",
    },
    "token_invalid": {
        "fr": "Jeton invalide ({problem}) : reconnectez-vous.",
        "en": "Invalid token ({problem}): log in again.",
    },
    "x_tenant_platform_only": {
        "fr": "L'en-tête X-Tenant est réservé aux administrateurs de la plateforme.",
        "en": "X-Tenant is for platform administrators only.",
    },
    "x_tenant_required": {
        "fr": "Indiquez le partenaire où agir avec l'en-tête X-Tenant.",
        "en": "Name the tenant to act in with the X-Tenant header.",
    },
    "tenant_unknown": {
        "fr": "Aucun partenaire avec l'identifiant court {slug}.",
        "en": "No tenant with slug {slug}.",
    },
    "operation_forbidden": {
        "fr": "Votre rôle ({role}) ne peut pas exécuter {operation}.",
        "en": "Your role ({role}) may not run {operation}.",
    },
    "field_forbidden": {
        "fr": "Votre rôle ne peut pas lire {field}.",
        "en": "Your role may not read {field}.",
    },
    "node_forbidden": {
        "fr": "Votre rôle ne peut pas lire un objet {type}.",
        "en": "Your role may not read a {type}.",
    },
    "filter_forbidden": {
        "fr": "Votre rôle ne peut pas filtrer sur {field}.",
        "en": "Your role may not filter by {field}.",
    },
    "node_not_found": {
        "fr": "Aucun objet avec cet identifiant.",
        "en": "No object with this ID.",
    },
    "terminal_not_found": {
        "fr": "Aucun terminal avec cet identifiant.",
        "en": "No terminal with this ID.",
    },
    "id_of_kind": {
        "fr": "`{argument}` n'est pas l'identifiant d'un objet {kinds}.",
        "en": "`{argument}` is not the ID of a {kinds}.",
    },
    "too_many_ids": {
        "fr": "{maximum} identifiants au plus à la fois.",
        "en": "At most {maximum} IDs at once.",
    },
    "page_size": {
        "fr": "`{name}` doit être entre {minimum} et {maximum} (reçu : {value}).",
        "en": "`{name}` must be between {minimum} and {maximum} (got {value}).",
    },
    "first_or_last": {
        "fr": "Donnez `first` ou `last`, pas les deux.",
        "en": "Give `first` or `last`, not both.",
    },
    "cursor_of_list": {
        "fr": "`{argument}` n'est pas un curseur de cette liste (dans cet ordre).",
        "en": "`{argument}` is not a cursor of this list (in this order).",
    },
    "cursor_of_feed": {
        "fr": "`after` n'est pas un curseur de {feed}.",
        "en": "`after` is not a cursor of {feed}.",
    },
    "live_unavailable": {
        "fr": "Les abonnements en direct ne sont pas disponibles sur ce serveur.",
        "en": "Live subscriptions are not available on this server.",
    },
    "time_range_order": {
        "fr": "`occurredFrom` est postérieur à `occurredTo`.",
        "en": "`occurredFrom` is after `occurredTo`.",
    },
    "time_range_order_now": {
        "fr": "`occurredFrom` est postérieur à `occurredTo` (maintenant, s'il n'est pas donné).",
        "en": "`occurredFrom` is after `occurredTo` (now, when it is not given).",
    },
    "amount_range_order": {
        "fr": "`amountMin` est supérieur à `amountMax`.",
        "en": "`amountMin` is above `amountMax`.",
    },
    "stats_range": {
        "fr": "Les statistiques par {interval} couvrent {days} jours au plus : resserrez "
        "`occurredFrom`/`occurredTo`.",
        "en": "Statistics by {interval} cover at most {days} days: narrow "
        "`occurredFrom`/`occurredTo`.",
    },
    "search_too_short": {
        "fr": "Tapez au moins {minimum} caractères pour chercher.",
        "en": "Type at least {minimum} characters to search.",
    },
    "search_too_long": {
        "fr": "Le texte cherché est limité à {maximum} caractères.",
        "en": "Search text is limited to {maximum} characters.",
    },
    "order_by": {
        "fr": "Impossible de trier par {field}.",
        "en": "Cannot order by {field}.",
    },
    "request_timed_out": {
        "fr": "La requête a duré plus de {limit} s et a été annulée ; rien n'a été écrit.",
        "en": "The request took longer than {limit} s and was cancelled; nothing was written.",
    },
    # QUERY_TOO_COMPLEX (and a list input too long), by the limit named in `extensions.limit`.
    "limit_depth": {
        "fr": "La requête a {measured} niveaux d'imbrication ; le maximum est {maximum}.",
        "en": "The query is {measured} levels deep; the maximum is {maximum}.",
    },
    "limit_aliases": {
        "fr": "La requête utilise {measured} alias ; le maximum est {maximum}.",
        "en": "The query uses {measured} aliases; the maximum is {maximum}.",
    },
    "limit_rootFields": {
        "fr": "La requête demande {measured} champs racine ; le maximum est {maximum}.",
        "en": "The query asks for {measured} root fields; the maximum is {maximum}.",
    },
    "limit_fields": {
        "fr": "La requête sélectionne {measured} champs ; le maximum est {maximum}.",
        "en": "The query selects {measured} fields; the maximum is {maximum}.",
    },
    "limit_duplicateFields": {
        "fr": "La requête sélectionne {measured} fois le même champ au même endroit ; "
        "le maximum est {maximum}.",
        "en": "The query selects one object field {measured} times in one place; "
        "the maximum is {maximum}.",
    },
    "limit_tokens": {
        "fr": "La requête compte {measured} jetons ; le maximum est {maximum}.",
        "en": "The query has {measured} tokens; the maximum is {maximum}.",
    },
    "limit_cost": {
        "fr": "Le coût estimé de la requête est {measured} ; le maximum est {maximum}. "
        "Demandez des pages plus petites (`first`) ou moins de listes imbriquées.",
        "en": "The query's estimated cost is {measured}; the maximum is {maximum}. "
        "Ask for smaller pages (`first`) or fewer nested lists.",
    },
    "limit_listItems": {
        "fr": "`{argument}` contient {measured} éléments ; {maximum} au plus sont admis.",
        "en": "`{argument}` holds {measured} items; at most {maximum} are allowed.",
    },
    "internal_error": {
        "fr": "Erreur interne du serveur (identifiant d'erreur {error_id}).",
        "en": "Internal server error (error id {error_id}).",
    },
    "database_unavailable": {
        "fr": "Le service ne peut pas joindre sa base de données pour le moment (identifiant "
        "d'erreur {error_id}) : réessayez dans quelques secondes.",
        "en": "The service cannot reach its database right now (error id {error_id}): "
        "try again in a few seconds.",
    },
}
