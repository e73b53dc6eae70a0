"""The messages of user errors (a mutation's `userErrors`, a refused input), in French
and English, by key; templates use str.format fields."""

USER_ERRORS: dict[str, dict[str, str]] = {
    "request_type_role": {
        "fr": "Votre rôle ne peut pas ouvrir de demande de type {type}.",
        "en": "Your role may not open a {type} request.",
    },
    "payload_too_deep": {
        "fr": "Données trop imbriquées ({max} niveaux au plus).",
        "en": "Payload nested too deeply (at most {max} levels).",
    },
    "masked_pan": {
        "fr": "PAN masqué invalide : au plus les 6 premiers et les 4 derniers chiffres.",
        "en": "Invalid masked PAN: at most the first 6 and the last 4 digits.",
    },
    "external_id": {
        "fr": "Identifiant externe invalide : 1 à 64 caractères (lettres, chiffres, . _ : / -).",
        "en": "Invalid external id: 1 to 64 characters (letters, digits, . _ : / -).",
    },
    "external_id_reused": {
        "fr": "Cet identifiant externe a déjà été enregistré avec un autre contenu.",
        "en": "This external id was already recorded with other content.",
    },
    "authorization_code": {
        "fr": "Code d'autorisation invalide : 6 lettres majuscules ou chiffres.",
        "en": "Invalid authorization code: 6 upper-case letters or digits.",
    },
    "response_code": {
        "fr": "Code réponse invalide : 2 caractères (ISO 8583).",
        "en": "Invalid response code: 2 characters (ISO 8583).",
    },
    "occurred_at": {
        "fr": "Date hors limites (dans le futur, ou plus ancienne que 400 jours).",
        "en": "Time out of range (in the future, or older than 400 days).",
    },
    "terminal_not_placed": {
        "fr": "Ce terminal n'est affecté à aucun magasin.",
        "en": "This terminal is not assigned to a shop.",
    },
    "options_version_code": {
        "fr": "PARAMETERS_DOWNLOADED : le code doit être le numéro de version des options.",
        "en": "PARAMETERS_DOWNLOADED: the code must be the options version number.",
    },
    "options_version_unknown": {
        "fr": "Ce terminal n'a pas de version d'options {version}.",
        "en": "This terminal has no options version {version}.",
    },
    "options_acknowledged_before_made": {
        "fr": "La version d'options {version} n'existait pas encore à cette date "
        "(créée le {created}).",
        "en": "Options version {version} did not exist yet at that time (made {created}).",
    },
    "masked_pan_format": {
        "fr": "PAN masqué invalide : chiffres et * ou X seulement, 2 à 9 caractères masqués.",
        "en": "Invalid masked PAN: digits and * or X only, 2 to 9 masked characters.",
    },
    "original_cycle": {
        "fr": "Ces transactions se désignent mutuellement comme transaction d'origine.",
        "en": "These transactions name each other as their original.",
    },
    "original_is_itself": {
        "fr": "Une transaction ne peut pas être sa propre transaction d'origine.",
        "en": "A transaction cannot be its own original.",
    },
    "required": {"fr": "Ce champ est obligatoire.", "en": "This field is required."},
    "too_long": {
        "fr": "{max} caractères au plus.",
        "en": "At most {max} characters.",
    },
    "control_characters": {
        "fr": "Caractères de contrôle interdits.",
        "en": "Control characters are not allowed.",
    },
    "siren": {
        "fr": "SIREN invalide : 9 chiffres dont le dernier est une clé de Luhn.",
        "en": "Invalid SIREN: 9 digits, the last one a Luhn check digit.",
    },
    "siren_taken": {
        "fr": "Une société avec ce SIREN existe déjà.",
        "en": "A company with this SIREN already exists.",
    },
    "siren_closed": {
        "fr": "Une société fermée a ce SIREN : rouvrez-la en demandant une nouvelle évaluation "
        "(requestEvaluation) ; son historique est conservé.",
        "en": "A closed company has this SIREN: reopen it by asking for a new evaluation "
        "(requestEvaluation); its history is kept.",
    },
    "siret": {
        "fr": "SIRET invalide : 14 chiffres (clé de Luhn) commençant par le SIREN {siren}.",
        "en": "Invalid SIRET: 14 digits (Luhn) starting with the SIREN {siren}.",
    },
    "siret_taken": {
        "fr": "Un magasin avec ce SIRET existe déjà.",
        "en": "A shop with this SIRET already exists.",
    },
    "iban": {
        "fr": "IBAN invalide (longueur du pays ou clé mod 97).",
        "en": "Invalid IBAN (length for its country or mod-97 check).",
    },
    "bic": {
        "fr": "BIC invalide : 8 ou 11 caractères (banque, pays, lieu, agence).",
        "en": "Invalid BIC: 8 or 11 characters (bank, country, location, branch).",
    },
    "email": {"fr": "Adresse e-mail invalide.", "en": "Invalid e-mail address."},
    "phone": {
        "fr": "Numéro invalide : format international E.164, par ex. +590690123456.",
        "en": "Invalid number: international E.164 format, e.g. +590690123456.",
    },
    "mcc": {
        "fr": "Code MCC invalide : 4 chiffres.",
        "en": "Invalid MCC: 4 digits.",
    },
    "currency": {
        "fr": "Devise inconnue (code ISO 4217 attendu, par ex. EUR).",
        "en": "Unknown currency (ISO 4217 code expected, e.g. EUR).",
    },
    "country": {
        "fr": "Pays invalide : code ISO 3166 à 2 lettres.",
        "en": "Invalid country: 2-letter ISO 3166 code.",
    },
    "postal_code": {"fr": "Code postal invalide.", "en": "Invalid postal code."},
    "postal_code_fr": {
        "fr": "Code postal invalide : 5 chiffres (par ex. 97110).",
        "en": "Invalid postal code: 5 digits (e.g. 97110).",
    },
    "amount": {
        "fr": "Le montant doit être un entier positif ou nul (centimes).",
        "en": "The amount must be a non-negative integer (minor units).",
    },
    "bps": {
        "fr": "Taux en points de base entre 0 et 10 000.",
        "en": "Rate in basis points between 0 and 10,000.",
    },
    "settlement_time": {
        "fr": "Heure de télécollecte au format HH:MM (heure locale du partenaire).",
        "en": "Settlement time as HH:MM (the partner's local time).",
    },
    "export_json": {
        "fr": "Le paramètre {argument} doit être écrit en JSON, comme l'argument de la liste.",
        "en": "The {argument} parameter must be written as JSON, as the list's argument.",
    },
    "export_no_order": {
        "fr": "L'export {name} suit l'ordre de sa liste, qui n'a pas de paramètre orderBy.",
        "en": "The {name} export follows its list's order, which has no orderBy parameter.",
    },
    "export_too_large": {
        "fr": "Cet export compterait {rows} lignes, au-delà de la limite de {maximum} : "
        "resserrez le filtre (par exemple la période).",
        "en": "This export would have {rows} rows, above the limit of {maximum}: narrow the "
        "filter (e.g. the time range).",
    },
    "export_unknown": {
        "fr": "Export inconnu : {name} (transactions, audit-events ou terminals).",
        "en": "Unknown export: {name} (transactions, audit-events or terminals).",
    },
    "card_last_four": {
        "fr": "Les 4 derniers chiffres de la carte sont attendus (ex. 1234).",
        "en": "The card's last 4 digits are expected (e.g. 1234).",
    },
    "card_range": {
        "fr": "Une recherche par carte demande une période (occurredFrom avant occurredTo) "
        "de {days} jours au plus.",
        "en": "A card search needs a date range (occurredFrom before occurredTo) of at most "
        "{days} days.",
    },
    "search_what": {
        "fr": "Cherchez soit un texte (text), soit une carte (card), pas les deux.",
        "en": "Search either a text (text) or a card (card), not both.",
    },
    "card_amount": {
        "fr": "Le montant doit être un entier positif ou nul (centimes).",
        "en": "The amount must be a non-negative integer (minor units).",
    },
    "time_zone": {
        "fr": "Fuseau horaire inconnu : un nom IANA est attendu (ex. America/Guadeloupe).",
        "en": "Unknown time zone: an IANA name is expected (e.g. America/Guadeloupe).",
    },
    "language": {
        "fr": "Langue : code ISO 639-1 à 2 lettres (fr, en…).",
        "en": "Language: 2-letter ISO 639-1 code (fr, en…).",
    },
    "tid": {
        "fr": "TID invalide : 8 caractères, lettres majuscules et chiffres.",
        "en": "Invalid TID: 8 characters, upper-case letters and digits.",
    },
    "tid_taken": {"fr": "Ce TID est déjà utilisé.", "en": "This TID is already in use."},
    "serial_taken": {
        "fr": "Ce numéro de série est déjà enregistré.",
        "en": "This serial number is already registered.",
    },
    "card_data": {
        "fr": "Données de carte refusées : ne saisissez jamais un numéro de carte complet.",
        "en": "Card data refused: never enter a full card number.",
    },
    "not_found": {
        "fr": "{kind} introuvable.",
        "en": "{kind} not found.",
    },
    "wrong_id": {
        "fr": "Identifiant invalide (un {kind} est attendu).",
        "en": "Invalid ID (a {kind} is expected).",
    },
    "invalid_transition": {
        "fr": "Action « {action} » impossible : {entity} est {state}. "
        "Ce que vous pouvez faire : {allowed}.",
        "en": "Cannot {action}: {entity} is {state}. What you may do: {allowed}.",
    },
    "invalid_transition_none": {
        "fr": "Action « {action} » impossible : {entity} est {state}. "
        "Aucune action ne vous est ouverte dans cet état.",
        "en": "Cannot {action}: {entity} is {state}. No action is open to you in this state.",
    },
    "conflict": {
        "fr": "Modifié entre-temps par quelqu'un d'autre (version {current}, "
        "vous aviez {expected}). Rechargez puis recommencez.",
        "en": "Changed meanwhile by someone else (version {current}, you had {expected}). "
        "Reload and try again.",
    },
    "reason_required": {
        "fr": "Indiquez le motif.",
        "en": "Give the reason.",
    },
    "company_state": {
        "fr": "La société doit être {expected} (elle est {state}).",
        "en": "The company must be {expected} (it is {state}).",
    },
    "contract_state": {
        "fr": "Le contrat doit être {expected} (il est {state}).",
        "en": "The contract must be {expected} (it is {state}).",
    },
    "shop_not_of_company": {
        "fr": "Ce magasin n'appartient pas à la société du contrat.",
        "en": "This shop does not belong to the contract's company.",
    },
    "shop_not_covered": {
        "fr": "Le contrat ne couvre pas ce magasin.",
        "en": "The contract does not cover this shop.",
    },
    "shop_closed": {"fr": "Ce magasin est fermé.", "en": "This shop is closed."},
    "service_not_in_contract": {
        "fr": "Le contrat ne prévoit pas le service {kind}.",
        "en": "The contract does not provide the {kind} service.",
    },
    "terminal_kind": {
        "fr": "Ce service demande un terminal {expected} (celui-ci est {kind}).",
        "en": "This service needs a {expected} terminal (this one is {kind}).",
    },
    "terminal_state": {
        "fr": "Le terminal doit être {expected} (il est {state}).",
        "en": "The terminal must be {expected} (it is {state}).",
    },
    "terminal_other_shop": {
        "fr": "Ce terminal est affecté à un autre magasin.",
        "en": "This terminal is assigned to another shop.",
    },
    "terminal_busy": {
        "fr": "Ce terminal porte déjà un service actif.",
        "en": "This terminal already runs an active service.",
    },
    "until_past": {
        "fr": "La date de fin de blocage doit être dans le futur.",
        "en": "The block's end time must be in the future.",
    },
    "pax_serial_required": {
        "fr": "Un terminal PAX doit avoir son numéro de série.",
        "en": "A PAX terminal needs its serial number.",
    },
    "softpos_no_terminal": {
        "fr": "Un service SoftPOS reçoit son terminal quand le téléphone s'enrôle : "
        "n'indiquez pas de terminal.",
        "en": "A SoftPOS service gets its terminal when the phone enrolls: give no terminal.",
    },
    "activation_code_invalid": {
        "fr": "Code d'activation inconnu ou déjà utilisé.",
        "en": "Unknown or already used activation code.",
    },
    "activation_code_expired": {
        "fr": "Ce code d'activation a expiré : demandez-en un nouveau.",
        "en": "This activation code has expired: ask for a new one.",
    },
    "fee_lines_duplicate": {
        "fr": "Ligne en double pour {scheme} / {region}.",
        "en": "Duplicate line for {scheme} / {region}.",
    },
    "effective_past": {
        "fr": "La date d'effet ne peut pas être dans le passé.",
        "en": "The effective date cannot be in the past.",
    },
    "request_type": {
        "fr": "Cette action ne s'applique pas à une demande de type {type}.",
        "en": "This action does not apply to a {type} request.",
    },
    "pending_request": {
        "fr": "Une demande d'évaluation est déjà en cours ({reference}).",
        "en": "An evaluation request is already open ({reference}).",
    },
    "email_taken": {
        "fr": "Cette adresse e-mail est déjà utilisée.",
        "en": "This e-mail address is already in use.",
    },
    "password_short": {
        "fr": "Mot de passe trop court ({min} caractères au moins).",
        "en": "Password too short (at least {min} characters).",
    },
    # The account page (resolvers/account.py).
    "password_common": {
        "fr": "Ce mot de passe fait partie des plus courants : choisissez-en un autre.",
        "en": "This password is one of the most common ones: choose another.",
    },
    "password_personal": {
        "fr": "Le mot de passe ne doit contenir ni votre e-mail ni votre nom.",
        "en": "The password must not contain your e-mail or your name.",
    },
    "password_unchanged": {
        "fr": "Le nouveau mot de passe doit être différent de l'actuel.",
        "en": "The new password must differ from the current one.",
    },
    "password_wrong": {
        "fr": "Le mot de passe actuel est incorrect.",
        "en": "The current password is incorrect.",
    },
    "password_reset_expired": {
        "fr": "Ce code à usage unique a expiré : demandez-en un nouveau à votre superviseur.",
        "en": "This one-time code has expired: ask your supervisor for a new one.",
    },
    "password_reset_self": {
        "fr": "Pour votre propre compte, utilisez le changement de mot de passe.",
        "en": "For your own account, change your password instead.",
    },
    "password_reset_machine": {
        "fr": "Un compte machine ne peut pas choisir de mot de passe : "
        "donnez-lui en un avec la modification du compte.",
        "en": "A machine account cannot choose a password: set one with updateUser.",
    },
    "password_change_first": {
        "fr": "Votre mot de passe a été réinitialisé : choisissez-en un nouveau avec "
        "changePassword d'abord.",
        "en": "Your password was reset: choose a new one with changePassword first.",
    },
    "profile_language": {
        "fr": "Langue inconnue : fr ou en.",
        "en": "Unknown language: fr or en.",
    },
    "session_not_found": {
        "fr": "Aucune session de votre compte n'a cet identifiant.",
        "en": "None of your sessions has this id.",
    },
    "role": {
        "fr": "Rôle non autorisé pour un compte de partenaire.",
        "en": "Role not allowed for a partner's account.",
    },
    "self_deactivation": {
        "fr": "Vous ne pouvez pas désactiver votre propre compte.",
        "en": "You cannot deactivate your own account.",
    },
    "slug": {
        "fr": "Identifiant court invalide : 2 à 40 minuscules, chiffres ou tirets.",
        "en": "Invalid slug: 2 to 40 lower-case letters, digits or dashes.",
    },
    "slug_taken": {"fr": "Ce partenaire existe déjà.", "en": "This partner already exists."},
    "too_many": {
        "fr": "{max} éléments au plus.",
        "en": "At most {max} items.",
    },
    "contact_only": {
        "fr": "Votre rôle ne peut modifier que les coordonnées de contact.",
        "en": "Your role may only change contact details.",
    },
    "shop_still_in_use": {
        "fr": "Ce magasin a encore {count} service(s) en cours (en attente, actif ou bloqué) :"
        " désactivez-les avant de le fermer.",
        "en": "This shop still has {count} live service(s) (pending, active or blocked):"
        " deactivate them before closing it.",
    },
    "seller_after_active": {
        "fr": "Une société active ne peut plus être modifiée par un vendeur.",
        "en": "A seller can no longer edit an active company.",
    },
    "nothing_to_change": {
        "fr": "Aucune modification demandée.",
        "en": "Nothing to change.",
    },
    # Contracts (resolvers/contracts/)
    "service_kinds_required": {
        "fr": "Indiquez au moins un service (PAYWISH_SOFTPOS, PAY_ON_SITE).",
        "en": "Give at least one service (PAYWISH_SOFTPOS, PAY_ON_SITE).",
    },
    "fee_lines_required": {
        "fr": "La grille tarifaire doit comporter au moins une ligne.",
        "en": "The fee schedule needs at least one line.",
    },
    "fee_line_not_priced": {
        "fr": "La grille ne comporte pas de ligne {scheme} / {region} à retirer.",
        "en": "The fee schedule has no {scheme} / {region} line to remove.",
    },
    "fee_line_set_and_removed": {
        "fr": "La ligne {scheme} / {region} est à la fois tarifée et retirée.",
        "en": "The {scheme} / {region} line is both priced and removed.",
    },
    "fee_currency": {
        "fr": "La grille est en {fees} ; le contrat est en {contract}.",
        "en": "The fee schedule is in {fees}; the contract is in {contract}.",
    },
    "contract_numbers_exhausted": {
        "fr": "Plus aucun numéro de contrat disponible pour {year}.",
        "en": "No contract number left for {year}.",
    },
    "sign_needs_shop": {
        "fr": "Le contrat doit couvrir au moins un magasin avant la signature.",
        "en": "The contract must cover at least one shop before it is signed.",
    },
    "sign_needs_service": {
        "fr": "Le contrat doit prévoir au moins un service avant la signature.",
        "en": "The contract must provide at least one service before it is signed.",
    },
    "document_stale": {
        "fr": "Le contrat {number} a changé depuis que son document a été présenté : "
        "présentez le nouveau document avant de signer.",
        "en": "Contract {number} changed since its document was shown: show the new document "
        "before signing.",
    },
    "document_not_a_file": {
        "fr": "Le fichier doit être envoyé comme une partie de la requête multipart "
        "(convention GraphQL multipart request), pas dans les variables.",
        "en": "The file must be sent as a part of a multipart request (GraphQL multipart "
        "request convention), not in the variables.",
    },
    "document_empty": {
        "fr": "Le fichier est vide.",
        "en": "The file is empty.",
    },
    "document_too_large": {
        "fr": "Le fichier dépasse {max} Mo.",
        "en": "The file is larger than {max} MB.",
    },
    "document_executable": {
        "fr": "Ce fichier est un programme ou une archive, pas un PDF, JPEG ou PNG.",
        "en": "This file is a program or an archive, not a PDF, JPEG or PNG.",
    },
    "document_type_unknown": {
        "fr": "Seuls les fichiers PDF, JPEG et PNG sont acceptés (reconnus par leur contenu).",
        "en": "Only PDF, JPEG and PNG files are accepted (recognised by their content).",
    },
    "document_type_mismatch": {
        "fr": "Le fichier est annoncé comme {declared} mais son contenu est {actual}.",
        "en": "The file is sent as {declared} but its content is {actual}.",
    },
    "document_unreadable": {
        "fr": "Ce PDF est illisible.",
        "en": "This PDF cannot be read.",
    },
    "document_kind_not_uploadable": {
        "fr": "Le type de document {kind} est produit par Spring, il ne se téléverse pas.",
        "en": "Document kind {kind} is generated by Spring, it cannot be uploaded.",
    },
    "logo_type": {
        "fr": "Un logo est une image PNG ou JPEG (reconnue par son contenu) ; "
        "ce fichier est {actual}.",
        "en": "A logo is a PNG or JPEG image (recognised by its content); this file is {actual}.",
    },
    "logo_too_large": {
        "fr": "Le logo dépasse {max} Ko.",
        "en": "The logo is larger than {max} KB.",
    },
    "logo_too_many_pixels": {
        "fr": "Le logo mesure {width} × {height} pixels : {max} pixels de côté au plus.",
        "en": "The logo is {width} × {height} pixels: {max} pixels per side at most.",
    },
    "logo_unreadable": {
        "fr": "Cette image est illisible.",
        "en": "This image cannot be read.",
    },
    "logo_file_or_remove": {
        "fr": "Donnez un fichier (le nouveau logo) ou remove: true (retirer le logo), "
        "pas les deux.",
        "en": "Give either a file (the new logo) or remove: true (remove the logo), not both.",
    },
    "documents_missing": {
        "fr": "Documents manquants pour approuver l'évaluation : {kinds}.",
        "en": "Documents missing to approve the evaluation: {kinds}.",
    },
    "sign_needs_fees": {
        "fr": "Le contrat doit avoir une grille tarifaire avant la signature.",
        "en": "The contract needs a fee schedule before it is signed.",
    },
    "sign_shop_closed": {
        "fr": "Le magasin « {name} » couvert par le contrat est fermé.",
        "en": "The shop \u201c{name}\u201d covered by the contract is closed.",
    },
    "request_without_contract": {
        "fr": "Cette demande ne désigne aucun contrat.",
        "en": "This request names no contract.",
    },
    "request_without_fees": {
        "fr": "Cette demande ne contient pas de grille tarifaire proposée.",
        "en": "This request holds no proposed fee schedule.",
    },
    # Requests that move (assignRequest, takeRequest, closeRequest, cancelRequest).
    "assignee_deactivated": {
        "fr": "Le compte de {name} est désactivé : choisissez un collègue actif.",
        "en": "{name}'s account is deactivated: choose an active colleague.",
    },
    "assignee_role": {
        "fr": "Une demande {type} ne peut pas être confiée à un compte {role}.",
        "en": "A {type} request cannot be held by a {role} account.",
    },
    "already_assignee": {
        "fr": "Cette demande est déjà confiée à {name}.",
        "en": "This request is already held by {name}.",
    },
    "not_assignee": {
        "fr": "Seule la personne à qui la demande est confiée peut la clore.",
        "en": "Only the person the request is assigned to may close it.",
    },
    "not_author": {
        "fr": "Seul l'auteur de la demande peut l'annuler.",
        "en": "Only the request's author may cancel it.",
    },
    "close_support_only": {
        "fr": "Seule une demande SUPPORT se clôt ainsi ; une demande {type} est décidée "
        "(approveRequest / rejectRequest).",
        "en": "Only a SUPPORT request is closed this way; a {type} request is decided "
        "(approveRequest / rejectRequest).",
    },
    "request_ended_contract": {
        "fr": "Contrat {number} résilié : {reason}",
        "en": "Contract {number} terminated: {reason}",
    },
    "request_ended_company": {
        "fr": "Société {name} fermée : {reason}",
        "en": "Company {name} closed: {reason}",
    },
    "tenant_minutes": {
        "fr": "Délai invalide : de 1 à {max} minutes (une semaine).",
        "en": "Invalid delay: 1 to {max} minutes (one week).",
    },
    "due_hours": {
        "fr": "Délai invalide : de 1 à {max} heures.",
        "en": "Invalid due time: 1 to {max} hours.",
    },
    "simulation_source": {
        "fr": "Donnez soit contractId, soit fees (l'un des deux, pas les deux).",
        "en": "Give either contractId or fees (one of them, not both).",
    },
    "simulation_size": {
        "fr": "Entre 1 et {max} transactions à simuler.",
        "en": "Between 1 and {max} transactions to simulate.",
    },
    "too_many_attempts": {
        "fr": "Trop de tentatives de connexion échouées : réessayez dans {minutes} min "
        "(à {time} UTC).",
        "en": "Too many failed login attempts: try again in {minutes} min (at {time} UTC).",
    },
    "simulation_no_fees": {
        "fr": "Le contrat {number} n'a pas de grille tarifaire.",
        "en": "Contract {number} has no fee schedule.",
    },
    # Sign-in (resolvers/auth.py)
    "invalid_credentials": {
        "fr": "E-mail ou mot de passe incorrect.",
        "en": "E-mail or password is incorrect.",
    },
    "ambiguous_account": {
        "fr": "Cette adresse a des comptes chez plusieurs partenaires : indiquez le partenaire "
        "avec `tenant` (parmi : {tenants}).",
        "en": "This e-mail has accounts with several partners: name the partner with `tenant` "
        "(one of: {tenants}).",
    },
    "account_disabled": {
        "fr": "Ce compte est désactivé. Adressez-vous à votre superviseur.",
        "en": "This account is deactivated. Ask your supervisor.",
    },
    "session_invalid": {
        "fr": "Cette session n'est plus valide : reconnectez-vous.",
        "en": "This session is no longer valid: log in again.",
    },
    "session_expired": {
        "fr": "Cette session a expiré : reconnectez-vous.",
        "en": "This session has expired: log in again.",
    },
    # Notifications (resolvers/notifications/).
    "notifications_ids_or_all": {
        "fr": "Donnez soit `ids`, soit `all: true`.",
        "en": "Give either `ids` or `all: true`.",
    },
    "notifications_staff_only": {
        "fr": "Les notifications sont celles du personnel du partenaire.",
        "en": "Notifications belong to the partner's staff.",
    },
    "notification_kind_twice": {
        "fr": "Le type {kind} est donné deux fois.",
        "en": "Kind {kind} is given twice.",
    },
    "notification_kind_role": {
        "fr": "Votre rôle ne reçoit pas de notification {kind}.",
        "en": "Your role does not receive {kind} notifications.",
    },
    "command_terminal_state": {
        "fr": "Une commande ne peut être envoyée qu'à un terminal {expected} (celui-ci est "
        "{state}).",
        "en": "A command can only be sent to a terminal that is {expected} (this one is {state}).",
    },
    "command_softpos_parameters": {
        "fr": "Un téléphone SoftPOS n'a pas de paramètres de terminal à télécharger.",
        "en": "A SoftPOS phone has no terminal options to download.",
    },
    "command_already_waiting": {
        "fr": "Une commande {kind} attend déjà ce terminal (demandée le {at}, {status}).",
        "en": "A {kind} command is already waiting for this terminal (asked at {at}, {status}).",
    },
    "first_range": {
        "fr": "first doit être entre 1 et {max}.",
        "en": "first must be between 1 and {max}.",
    },
    "command_too_many_terminals": {
        "fr": "Au plus {max} terminaux à la fois.",
        "en": "At most {max} terminals at once.",
    },
    "command_unknown": {
        "fr": "Commande inconnue pour ce terminal.",
        "en": "Unknown command for this terminal.",
    },
    "command_event_kind": {
        "fr": "La commande {kind} se confirme par un événement {expected}, pas {given}.",
        "en": "A {kind} command is acknowledged by a {expected} event, not {given}.",
    },
    "command_finished": {
        "fr": "Cette commande est déjà {state} : envoyez l'événement sans commandId.",
        "en": "This command is already {state}: send the event without commandId.",
    },
    "command_acknowledged_twice": {
        "fr": "Cette commande est confirmée deux fois dans le lot.",
        "en": "This command is acknowledged twice in the batch.",
    },
    "failure_reason_without_command": {
        "fr": "Un motif d'échec accompagne une commande (commandId).",
        "en": "A failure reason goes with a command (commandId).",
    },
    "activation_code_not_pending": {
        "fr": "Un nouveau code d'activation ne se donne qu'à un service SoftPOS en attente "
        "(celui-ci est {kind}, {state}).",
        "en": "A new activation code is only given to a pending SoftPOS service (this one is "
        "{kind}, {state}).",
    },
}
