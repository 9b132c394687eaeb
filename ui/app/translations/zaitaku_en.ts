<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="ja_JP">
<context>
    <name>CardPanel</name>
    <message>
        <source>マイナ保険証をカードリーダーに置いてください</source>
        <translation>Place the My Number insurance card on the reader</translation>
    </message>
    <message>
        <source>リーダーとカードの状態:</source>
        <translation>Reader and card:</translation>
    </message>
    <message>
        <source>カードがない・読めない（代替手段へ）</source>
        <translation>No card / cannot read it (fallback)</translation>
    </message>
    <message>
        <source>カードを置くと自動で読み取ります。</source>
        <translation>The card is read as soon as it is placed.</translation>
    </message>
    <message>
        <source>カードリーダー: %1</source>
        <translation>Card reader: %1</translation>
    </message>
    <message>
        <source>自動（カードのあるリーダー）</source>
        <translation>Automatic (the reader with a card)</translation>
    </message>
    <message>
        <source>代替手段に切り替えています…</source>
        <translation>Switching to the fallback…</translation>
    </message>
</context>
<context>
    <name>CodeBPanel</name>
    <message>
        <source>顔認証: 照合番号Bを入力してください</source>
        <translation>Face verification: enter verification code B</translation>
    </message>
    <message>
        <source>カード表面の生年月日（6桁: YYMMDD）、有効期限の西暦（4桁）、セキュリティコード（4桁）の計14桁です。保存はしません。</source>
        <translation>The birth date on the card (6 digits, YYMMDD), the expiry year (4 digits) and the security code (4 digits): 14 digits. It is not stored.</translation>
    </message>
    <message>
        <source>戻る（別の方法）</source>
        <translation>Back (another method)</translation>
    </message>
    <message>
        <source>決定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>照合番号Bの残り回数: %1 回</source>
        <translation>Verification code B tries left: %1</translation>
    </message>
    <message>
        <source>14桁の数字を入力してください</source>
        <translation>Enter 14 digits</translation>
    </message>
</context>
<context>
    <name>ConsentPanel</name>
    <message>
        <source>診療情報</source>
        <translation>Medical care information</translation>
    </message>
    <message>
        <source>薬剤情報</source>
        <translation>Medication information</translation>
    </message>
    <message>
        <source>手術情報</source>
        <translation>Surgery information</translation>
    </message>
    <message>
        <source>特定健診情報</source>
        <translation>Specific health checkup information</translation>
    </message>
    <message>
        <source>処方箋の発行方法</source>
        <translation>How prescriptions are issued</translation>
    </message>
    <message>
        <source>情報提供への同意</source>
        <translation>Consent to share information</translation>
    </message>
    <message>
        <source>すべての項目に同意する（一括）</source>
        <translation>Agree to all items (at once)</translation>
    </message>
    <message>
        <source>項目ごとに選ぶ</source>
        <translation>Choose per item</translation>
    </message>
    <message>
        <source>同意しない</source>
        <translation>Do not agree</translation>
    </message>
    <message>
        <source>電子処方箋</source>
        <translation>Electronic prescription</translation>
    </message>
    <message>
        <source>紙の処方箋</source>
        <translation>Paper prescription</translation>
    </message>
    <message>
        <source>確定</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>同意文書の版: %1</source>
        <translation>Consent text version: %1</translation>
    </message>
    <message>
        <source>同意の方法を選んでください（一括・項目ごと・同意しない）</source>
        <translation>Choose how to answer (all, per item, none)</translation>
    </message>
    <message>
        <source>処方箋の発行方法を選んでください</source>
        <translation>Choose how prescriptions are issued</translation>
    </message>
    <message>
        <source>限度額情報を提供しますか（高額療養費制度をご利用される方は「提供する」を選んでください。窓口で限度額以上の支払いが不要になります）</source>
        <translation>Provide your limit information (限度額情報)? If you use the high-cost medical expense benefit, choose &quot;Provide&quot;: you will not pay more than your limit at the counter.</translation>
    </message>
    <message>
        <source>提供する</source>
        <translation>Provide</translation>
    </message>
    <message>
        <source>提供しない</source>
        <translation>Do not provide</translation>
    </message>
    <message>
        <source>限度額情報を提供するかどうかを選んでください</source>
        <translation>Choose whether to provide the limit information</translation>
    </message>
</context>
<context>
    <name>CustodyPage</name>
    <message>
        <source>カードの預かり管理</source>
        <translation>Card custody</translation>
    </message>
    <message>
        <source>患者</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <source>現在の保管者</source>
        <translation>Held by</translation>
    </message>
    <message>
        <source>目的・時刻</source>
        <translation>Purpose / time</translation>
    </message>
    <message>
        <source>返却期限</source>
        <translation>Due back</translation>
    </message>
    <message>
        <source>職員</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>持ち出しの目的</source>
        <translation>Purpose of check-out</translation>
    </message>
    <message>
        <source>立会人（任意）</source>
        <translation>Witness (optional)</translation>
    </message>
    <message>
        <source>預かる</source>
        <translation>Deposit</translation>
    </message>
    <message>
        <source>持ち出す</source>
        <translation>Check out</translation>
    </message>
    <message>
        <source>返却する</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>返却期限超過</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>期限内</source>
        <translation>within time</translation>
    </message>
    <message>
        <source>患者を選んでください</source>
        <translation>Choose a patient</translation>
    </message>
    <message>
        <source>職員を入力してください</source>
        <translation>Enter the staff member</translation>
    </message>
    <message>
        <source>✓ 記録しました: %1</source>
        <translation>✓ Recorded: %1</translation>
    </message>
    <message>
        <source>職員がサインインしていません</source>
        <translation>No staff member is signed in</translation>
    </message>
    <message>
        <source>預かりの根拠（入所契約・預かり証）</source>
        <translation>Custody basis (admission contract / custody receipt)</translation>
    </message>
    <message>
        <source>保管場所（鍵付きロッカー等）</source>
        <translation>Storage (e.g. a locked cabinet)</translation>
    </message>
    <message>
        <source>未設定（職員IDをカンマ区切りで）</source>
        <translation>Not set (staff IDs, comma-separated)</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>カード管理者</source>
        <translation>Card custodians</translation>
    </message>
    <message>
        <source>紛失を記録</source>
        <translation>Record a lost card</translation>
    </message>
    <message>
        <source>✓ カード管理者を保存しました</source>
        <translation>✓ Card custodians saved</translation>
    </message>
    <message>
        <source>マイナンバー総合フリーダイヤル（0120-95-0178、24時間365日）に電話して、カードの一時利用停止をしてください。見つかるまでの資格確認は資格確認書で行います（紛失中の方には申請により交付されます）。</source>
        <translation>Call the My Number toll-free line (0120-95-0178, 24 hours, every day) to suspend the card. Until it is found, eligibility is confirmed with the 資格確認書 (issued on request while a card is lost).</translation>
    </message>
</context>
<context>
    <name>FacePanel</name>
    <message>
        <source>顔認証: カメラに顔を向けてください</source>
        <translation>Face verification: face the camera</translation>
    </message>
    <message>
        <source>確認に使える画像 %v / %m</source>
        <translation>Usable frames %v / %m</translation>
    </message>
    <message>
        <source>カメラを起動しています…</source>
        <translation>Starting the camera…</translation>
    </message>
    <message>
        <source>✓ そのままお待ちください</source>
        <translation>✓ Hold still, please</translation>
    </message>
</context>
<context>
    <name>FallbackPanel</name>
    <message>
        <source>代替手段で資格を確認します</source>
        <translation>Confirm eligibility by a fallback</translation>
    </message>
    <message>
        <source>戻る（別の手段）</source>
        <translation>Back (another fallback)</translation>
    </message>
    <message>
        <source>PDFで印刷（署名用）</source>
        <translation>Print as PDF (for signature)</translation>
    </message>
    <message>
        <source>この内容で記録する</source>
        <translation>Record this</translation>
    </message>
    <message>
        <source>理由: %1</source>
        <translation>Reason: %1</translation>
    </message>
    <message>
        <source>&#x3000;利用できません: %1</source>
        <translation>  Not available: %1</translation>
    </message>
    <message>
        <source>（必須）</source>
        <translation> (required)</translation>
    </message>
    <message>
        <source>PDFを保存できません: %1</source>
        <translation>Cannot save the PDF: %1</translation>
    </message>
    <message>
        <source>✓ PDFを保存しました: %1</source>
        <translation>✓ PDF saved: %1</translation>
    </message>
    <message>
        <source>（選んでください）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>「%1」を確認してください（%2）</source>
        <translation>Check "%1" (%2)</translation>
    </message>
    <message>
        <source>印刷できません: %1</source>
        <translation>Cannot print: %1</translation>
    </message>
    <message>
        <source>✓ 印刷しました（端末には残していません）</source>
        <translation>✓ Printed (nothing kept on the tablet)</translation>
    </message>
    <message>
        <source>この書類では確認できません: %1</source>
        <translation>This document does not prove insurance: %1</translation>
    </message>
    <message>
        <source>／</source>
        <translation> / </translation>
    </message>
</context>
<context>
    <name>FallbackPdf</name>
    <message>
        <source>患者: %1&#x3000;&#x3000;記入日: %2</source>
        <translation>Patient: %1    Date: %2</translation>
    </message>
    <message>
        <source>申立人署名（ご本人、または代筆の方：患者との関係もご記入ください）</source>
        <translation>Signature of the declarant (the patient, or the person writing for them: state the relationship)</translation>
    </message>
    <message>
        <source>有効な保険資格を有しており、医療保険等の被保険者資格について、下記の通り申し立てます。</source>
        <translation>I hold a valid insurance qualification and declare it as follows.</translation>
    </message>
    <message>
        <source>本申立書に記入いただいた情報は、医療機関等の診療報酬請求等に必要範囲でのみ使用し、診療報酬請求等の請求・支払等に係る必要な事務を終えた段階で、速やかに廃棄します。</source>
        <translation>The information on this form is used only as far as the medical fee claim needs it, and is discarded promptly once the claim and its payment are settled.</translation>
    </message>
    <message>
        <source>※ 被保険者番号等の情報（保険証のコピーや写真を含む。）がわかり次第、必ず受診された医療機関等にお伝えください。</source>
        <translation>* As soon as you know your insurance numbers (a copy or photo of a card will do), please tell the clinic you visited.</translation>
    </message>
    <message>
        <source>※ 本申立書により、3割負担（未就学児は2割負担。70歳以上等の方は1～3割）で自己負担額を計算します。ご記入いただいた一部負担金の割合が実際と異なっていた場合、後日、保険者から差額を請求等させていただく場合があります。</source>
        <translation>* With this form the copay is 30% (20% before school age; 10–30% from 70). If the ratio you gave differs from the real one, the insurer may later claim the difference.</translation>
    </message>
    <message>
        <source>確認した職員 署名</source>
        <translation>Signature of the confirming staff</translation>
    </message>
    <message>
        <source>日付</source>
        <translation>Date</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>終了</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>アプリを終了しますか？ 端末は次にログインしたときに再び起動します。</source>
        <translation>Quit the app? It starts again at the next login.</translation>
    </message>
    <message>
        <source>訪問予定</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>送信状況</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>カード預かり</source>
        <translation>Card custody</translation>
    </message>
    <message>
        <source>設定</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>復旧コード</source>
        <translation>Recovery code</translation>
    </message>
    <message>
        <source>パスフレーズを忘れたときの復旧コードです。一度だけ表示します。紙に控えて保管してください:

%1</source>
        <translation>This is the recovery code for a forgotten passphrase. It is shown only once. Write it down and keep it safe:

%1</translation>
    </message>
    <message>
        <source>設定を保存できません: %1</source>
        <translation>Cannot save the settings: %1</translation>
    </message>
    <message>
        <source>ロック</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>職員: %1</source>
        <translation>Staff: %1</translation>
    </message>
    <message>
        <source>スリープから復帰したためロックしました</source>
        <translation>Locked: the tablet woke from sleep</translation>
    </message>
    <message>
        <source>操作がなかったためロックしました</source>
        <translation>Locked after a time without use</translation>
    </message>
    <message>
        <source>ロックしました</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>ロックしています…</source>
        <translation>Locking…</translation>
    </message>
</context>
<context>
    <name>MethodPanel</name>
    <message>
        <source>暗証番号</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>顔認証</source>
        <translation>Face verification</translation>
    </message>
    <message>
        <source>目視確認</source>
        <translation>Visual check</translation>
    </message>
    <message>
        <source>本人確認の方法を選んでください</source>
        <translation>Choose how to verify the person</translation>
    </message>
    <message>
        <source>暗証番号の残り回数が1回です。ロックを防ぐため、ここでは暗証番号を入力しません。職員の判断で、目視確認または顔認証に切り替えてください。</source>
        <translation>One PIN try left. To avoid locking the card, no PIN is entered here. Staff decide: switch to a visual check or face verification.</translation>
    </message>
    <message>
        <source>代替手段へ</source>
        <translation>Fallback</translation>
    </message>
    <message>
        <source>カードの種類: %1</source>
        <translation>Card type: %1</translation>
    </message>
    <message>
        <source>（顔認証マイナンバーカード: 暗証番号は使いません）</source>
        <translation> (face-authentication card: no PIN)</translation>
    </message>
    <message>
        <source>暗証番号の残り回数: %1 回</source>
        <translation>PIN tries left: %1</translation>
    </message>
    <message>
        <source>職員の判断: 本人確認の方法を切り替えてください</source>
        <translation>Staff decision: switch the identity check</translation>
    </message>
    <message>
        <source>利用できません: %1</source>
        <translation>Not available: %1</translation>
    </message>
    <message>
        <source>介助した人:</source>
        <translation>Helped by:</translation>
    </message>
    <message>
        <source>本人のみ</source>
        <translation>Patient alone</translation>
    </message>
    <message>
        <source>家族</source>
        <translation>Family</translation>
    </message>
    <message>
        <source>介助者</source>
        <translation>Carer</translation>
    </message>
    <message>
        <source>施設職員</source>
        <translation>Facility staff</translation>
    </message>
    <message>
        <source>法定代理人</source>
        <translation>Legal representative</translation>
    </message>
</context>
<context>
    <name>PinPadPanel</name>
    <message>
        <source>暗証番号（4桁）を入力してください</source>
        <translation>Enter the 4-digit PIN</translation>
    </message>
    <message>
        <source>1文字消す</source>
        <translation>Delete one</translation>
    </message>
    <message>
        <source>戻る（別の方法）</source>
        <translation>Back (another method)</translation>
    </message>
    <message>
        <source>決定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>暗証番号の残り回数: %1 回</source>
        <translation>PIN tries left: %1</translation>
    </message>
    <message>
        <source>間違えると残り %1 回になります。わからない場合は「戻る」で別の方法を選んでください。</source>
        <translation>A wrong PIN leaves %1 tries. If unsure, tap &quot;Back&quot; and choose another method.</translation>
    </message>
    <message>
        <source>%1 桁入力済み</source>
        <translation>%1 digits entered</translation>
    </message>
    <message>
        <source>暗証番号は、ご本人または法定代理人の方が入力してください。ご家族・介助者・施設職員の方は入力しないでください。</source>
        <translation>The PIN is entered by the patient or their legal representative only. Family, carers and facility staff do not enter it.</translation>
    </message>
</context>
<context>
    <name>PrecheckFlag</name>
    <message>
        <source>資格確認結果なし</source>
        <translation>No eligibility result</translation>
    </message>
    <message>
        <source>資格確認端末が応答なし</source>
        <translation>The OQS terminal did not answer</translation>
    </message>
    <message>
        <source>電子証明書の有効期限が近い</source>
        <translation>Electronic certificate expires soon</translation>
    </message>
    <message>
        <source>電子証明書の有効期限切れ（猶予期間中）</source>
        <translation>Electronic certificate expired (grace period)</translation>
    </message>
    <message>
        <source>電子証明書が使用できません</source>
        <translation>Electronic certificate unusable</translation>
    </message>
    <message>
        <source>照会エラー</source>
        <translation>Query error</translation>
    </message>
    <message>
        <source>資格喪失</source>
        <translation>Eligibility lost</translation>
    </message>
    <message>
        <source>資格変更あり（新しいカードを確認）</source>
        <translation>Eligibility changed (check the new card)</translation>
    </message>
    <message>
        <source>資格が確認できません</source>
        <translation>Eligibility cannot be confirmed</translation>
    </message>
    <message>
        <source>氏名に●（外字）を含む: カナ氏名で確認（「●」のままで請求できます）</source>
        <translation>Name contains ● (character not available): confirm by the kana name (the claim is valid with ●)</translation>
    </message>
    <message>
        <source>処理結果のお知らせあり</source>
        <translation>Processing notice</translation>
    </message>
    <message>
        <source>70歳到達：負担割合の変更</source>
        <translation>Turns 70: copayment ratio changes</translation>
    </message>
    <message>
        <source>75歳到達：後期高齢者医療へ移行</source>
        <translation>Turns 75: moves to the late-stage elderly system</translation>
    </message>
    <message>
        <source>結果が30日以上前</source>
        <translation>Result older than 30 days</translation>
    </message>
    <message>
        <source>本人と一致しない資格確認結果があります（この患者の結果にはしていません）</source>
        <translation>An eligibility answer that does not match this patient arrived (not filed as theirs)</translation>
    </message>
    <message>
        <source>カナ氏名が名簿と異なります</source>
        <translation>The kana name differs from the roster</translation>
    </message>
    <message>
        <source>ゲートウェイが再照会できませんでした: 次回はカードか代替手段で確認</source>
        <translation>The gateway could not re-query this revisit: next time confirm with the card or a fallback document</translation>
    </message>
    <message>
        <source>確認が必要です</source>
        <translation>Needs checking</translation>
    </message>
    <message>
        <source>保険証利用登録なし（カードリーダー・マイナポータル等で登録。それまでは資格確認書）</source>
        <translation>Card not registered for insurance use (register at a card reader, on Mynaportal …; meanwhile the 資格確認書)</translation>
    </message>
    <message>
        <source>資格（無効）: 旧資格情報で請求するか、現在の資格を確認</source>
        <translation>Qualification invalid: claim with the former numbers or confirm the current qualification</translation>
    </message>
    <message>
        <source>資格変更あり: 新しい資格をマイナ保険証で再確認（またはマイナポータル・資格情報のお知らせ）</source>
        <translation>Qualification changed: confirm the new one with the card again (or Mynaportal / the お知らせ)</translation>
    </message>
    <message>
        <source>オフライン初回の資格が確認できませんでした: 次回、資格確認書か資格情報のお知らせ（マイナポータル画面）を見せてもらう（なければ被保険者資格申立書）</source>
        <translation>The offline first visit was not confirmed: at the next visit, ask to see the 資格確認書 or the お知らせ (Mynaportal screen); without one, a 申立書</translation>
    </message>
    <message>
        <source>再照会待ち: 送信後にゲートウェイがオンライン資格確認に再照会します（本日の資格はまだ確認されていません）</source>
        <translation>Re-query pending: the gateway asks OQS once the record is sent (today's qualification is not confirmed yet)</translation>
    </message>
    <message>
        <source>再照会で資格が確認できません（資格（無効）・該当なし等）: 次回はカードで確認するか代替手段</source>
        <translation>The re-query did not confirm the qualification (invalid, not found …): next time confirm with the card or a fallback document</translation>
    </message>
    <message>
        <source>再照会で保険者または負担割合が変わりました: 請求先と窓口負担を確認</source>
        <translation>The re-query shows a new insurer or copay ratio: check who to bill and what the patient pays</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>PDFを保存</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <source>デモモード（ゲートウェイ %1）</source>
        <translation>Demo mode (gateway %1)</translation>
    </message>
</context>
<context>
    <name>ResultPanel</name>
    <message>
        <source>訪問予定に戻る</source>
        <translation>Back to the route</translation>
    </message>
    <message>
        <source>✓ 記録しました（送信待ち）</source>
        <translation>✓ Recorded (queued to send)</translation>
    </message>
    <message>
        <source>✗ 中止しました（記録していません）</source>
        <translation>✗ Cancelled (nothing recorded)</translation>
    </message>
    <message>
        <source>本人確認: %1</source>
        <translation>Identity check: %1</translation>
    </message>
    <message>
        <source>カード: %1</source>
        <translation>Card: %1</translation>
    </message>
    <message>
        <source>暗証番号の残り回数: %1 回</source>
        <translation>PIN tries left: %1</translation>
    </message>
    <message>
        <source>代替手段: %1</source>
        <translation>Fallback: %1</translation>
    </message>
    <message>
        <source>理由: %1</source>
        <translation>Reason: %1</translation>
    </message>
    <message>
        <source>資格情報: オンライン資格確認の結果待ち（送信待ち）。送信されるとゲートウェイがカードで照会します。</source>
        <translation>Eligibility: waiting for online confirmation (queued). Once sent, the gateway asks OQS with the card.</translation>
    </message>
    <message>
        <source>本日の再照会の結果:</source>
        <translation>Today's re-query answer:</translation>
    </message>
    <message>
        <source>再照会待ち: 本日の資格はまだ確認されていません。送信されるとゲートウェイがオンライン資格確認に再照会し、結果が訪問予定に届きます。</source>
        <translation>Re-query pending: today's qualification is not confirmed yet. Once the record is sent the gateway re-queries OQS and the answer reaches the route.</translation>
    </message>
    <message>
        <source>資格の確認: %1（オンライン資格確認は行いません）</source>
        <translation>Qualification: %1 (no online confirmation)</translation>
    </message>
    <message>
        <source>窓口でお願いする負担割合: %1</source>
        <translation>Copay to ask: %1</translation>
    </message>
    <message>
        <source>前回の資格確認結果（参考・本日の確認ではありません）:</source>
        <translation>Previous eligibility result (for reference, not today's confirmation):</translation>
    </message>
    <message>
        <source>同意</source>
        <translation>agreed</translation>
    </message>
    <message>
        <source>不同意</source>
        <translation>declined</translation>
    </message>
    <message>
        <source>同意:
</source>
        <translation>Consents:
</translation>
    </message>
    <message>
        <source>✗ 訪問を続けられませんでした（記録していません）</source>
        <translation>✗ The visit could not continue (nothing recorded)</translation>
    </message>
</context>
<context>
    <name>ResultSummary</name>
    <message>
        <source>✓ 資格: 有効</source>
        <translation>✓ Eligibility: valid</translation>
    </message>
    <message>
        <source>⚠ 資格: %1</source>
        <translation>⚠ Eligibility: %1</translation>
    </message>
    <message>
        <source>⚠ 資格: 確認できません</source>
        <translation>⚠ Eligibility: cannot be confirmed</translation>
    </message>
    <message>
        <source>氏名: %1</source>
        <translation>Name: %1</translation>
    </message>
    <message>
        <source>負担割合: %1</source>
        <translation>Copayment: %1</translation>
    </message>
    <message>
        <source>保険者: %1（保険者番号 %2）</source>
        <translation>Insurer: %1 (insurer number %2)</translation>
    </message>
    <message>
        <source>限度額適用区分: %1</source>
        <translation>Limit category: %1</translation>
    </message>
    <message>
        <source>限度額: 情報なし</source>
        <translation>Limit: no information</translation>
    </message>
    <message>
        <source>資格確認の時点: %1（%2）</source>
        <translation>Checked at: %1 (%2)</translation>
    </message>
    <message>
        <source>不明</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source> — 年齢から算出（資格確認結果に負担割合なし）</source>
        <translation> — from the age rule (the eligibility result carries no ratio)</translation>
    </message>
    <message>
        <source>⚠ 資格確認結果の負担割合（%1割）と年齢による判定（%2割）が異なります。保険者の情報を確認してください</source>
        <translation>⚠ The eligibility result says %1 tenths, the age rule %2 tenths: check with the insurer</translation>
    </message>
    <message>
        <source>⚠ %1</source>
        <translation>⚠ %1</translation>
    </message>
</context>
<context>
    <name>RevisitPanel</name>
    <message>
        <source>再訪問: カードなしの再照会</source>
        <translation>Revisit: re-query without the card</translation>
    </message>
    <message>
        <source>代替手段へ</source>
        <translation>Fallback</translation>
    </message>
    <message>
        <source>カードで確認する</source>
        <translation>Confirm with the card</translation>
    </message>
    <message>
        <source>✗ 再照会はできません: カードで確認してください</source>
        <translation>✗ Re-query not allowed: confirm with the card</translation>
    </message>
    <message>
        <source>キャッシュされた資格確認結果はありません</source>
        <translation>No cached eligibility result</translation>
    </message>
    <message>
        <source>✓ 再照会の結果が届きました（本日の資格確認）</source>
        <translation>✓ The re-query answered (today's confirmation)</translation>
    </message>
    <message>
        <source>⚠ 再照会待ち: 本日の資格はまだ確認されていません。送信されるとゲートウェイがオンライン資格確認に再照会します</source>
        <translation>⚠ Re-query pending: today's qualification is not confirmed yet. Once the record is sent the gateway re-queries OQS</translation>
    </message>
    <message>
        <source>本日の再照会の結果:</source>
        <translation>Today's re-query answer:</translation>
    </message>
    <message>
        <source>前回の資格確認結果（本日の確認ではありません）:</source>
        <translation>Previous eligibility result (not today's confirmation):</translation>
    </message>
    <message>
        <source>再照会の結果で記録する</source>
        <translation>Record with the re-query answer</translation>
    </message>
    <message>
        <source>再照会待ちとして記録する</source>
        <translation>Record as re-query pending</translation>
    </message>
</context>
<context>
    <name>MedicalInfoPage</name>
    <message>
        <source>お薬・健診</source>
        <translation>Medicines &amp; checkups</translation>
    </message>
    <message>
        <source>お薬・健診: %1</source>
        <translation>Medicines &amp; checkups: %1</translation>
    </message>
    <message>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>区分</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>薬局・医療機関</source>
        <translation>Pharmacy / facility</translation>
    </message>
    <message>
        <source>薬品</source>
        <translation>Drug</translation>
    </message>
    <message>
        <source>用量</source>
        <translation>Dose</translation>
    </message>
    <message>
        <source>用法</source>
        <translation>Usage</translation>
    </message>
    <message>
        <source>日数</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>健診日</source>
        <translation>Checkup date</translation>
    </message>
    <message>
        <source>項目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>結果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>判定</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <source>戻る</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>最新を取得</source>
        <translation>Fetch the latest</translation>
    </message>
    <message>
        <source>ゲートウェイに問い合わせています…</source>
        <translation>Asking the gateway…</translation>
    </message>
    <message>
        <source>ゲートウェイに接続できません（%1）。端末内の情報を表示しています。</source>
        <translation>Cannot reach the gateway (%1). Showing what this tablet holds.</translation>
    </message>
    <message>
        <source>取得: %1</source>
        <translation>Fetched: %1</translation>
    </message>
    <message>
        <source>閲覧可能: %1まで（%2）</source>
        <translation>Viewable until %1 (%2)</translation>
    </message>
    <message>
        <source>%1（処方: %2）</source>
        <translation>%1 (prescribed by %2)</translation>
    </message>
    <message>
        <source>%1日分</source>
        <translation>%1 days</translation>
    </message>
    <message>
        <source>基準外（%1）</source>
        <translation>Outside the guidance limit (%1)</translation>
    </message>
    <message>
        <source>日付不明</source>
        <translation>Date unknown</translation>
    </message>
</context>
<context>
    <name>RoutePage</name>
    <message>
        <source>お薬・健診</source>
        <translation>Medicines &amp; checkups</translation>
    </message>
    <message>
        <source>本日の訪問予定</source>
        <translation>Today&apos;s route</translation>
    </message>
    <message>
        <source>患者（年齢）</source>
        <translation>Patient (age)</translation>
    </message>
    <message>
        <source>サービス</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>資格確認</source>
        <translation>Eligibility check</translation>
    </message>
    <message>
        <source>訪問前の注意</source>
        <translation>Before the visit</translation>
    </message>
    <message>
        <source>訪問前確認を今すぐ行う</source>
        <translation>Pre-check now</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>代替手段</source>
        <translation>Fallback</translation>
    </message>
    <message>
        <source>再訪問（カードなし）</source>
        <translation>Revisit (no card)</translation>
    </message>
    <message>
        <source>初回訪問（カード）</source>
        <translation>First visit (card)</translation>
    </message>
    <message>
        <source>訪問前確認をキャンセルしました（取得済みの結果は保存されています）</source>
        <translation>Pre-check cancelled (results already fetched are kept)</translation>
    </message>
    <message>
        <source>訪問前確認をしています…（ゲートウェイに問い合わせ中）</source>
        <translation>Pre-checking… (asking the gateway)</translation>
    </message>
    <message>
        <source>訪問前確認ができませんでした（%1）。キャッシュの結果を表示しています。</source>
        <translation>Pre-check failed (%1). Showing cached results.</translation>
    </message>
    <message>
        <source>✓ 訪問前確認が終わりました</source>
        <translation>✓ Pre-check finished</translation>
    </message>
    <message>
        <source>本日の訪問予定 %1</source>
        <translation>Today&apos;s route %1</translation>
    </message>
    <message>
        <source>結果なし</source>
        <translation>no result</translation>
    </message>
    <message>
        <source>%1（%2歳）</source>
        <translation>%1 (age %2)</translation>
    </message>
    <message>
        <source>✓ 注意なし</source>
        <translation>✓ Nothing to note</translation>
    </message>
    <message>
        <source>%1に取得</source>
        <translation>fetched %1</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>設定</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>再検出</source>
        <translation>Rescan</translation>
    </message>
    <message>
        <source>カードリーダー</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <source>camera:0（空欄: 顔認証を使わない）</source>
        <translation>camera:0 (empty: no face check)</translation>
    </message>
    <message>
        <source>カメラ</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>職員ID</source>
        <translation>Staff ID</translation>
    </message>
    <message>
        <source>事業所ID</source>
        <translation>Facility ID</translation>
    </message>
    <message>
        <source>言語 / Language</source>
        <translation>言語 / Language</translation>
    </message>
    <message>
        <source>標準（16pt）</source>
        <translation>Standard (16 pt)</translation>
    </message>
    <message>
        <source>大きい（20pt）</source>
        <translation>Large (20 pt)</translation>
    </message>
    <message>
        <source>特大（24pt）</source>
        <translation>Largest (24 pt)</translation>
    </message>
    <message>
        <source>文字の大きさ</source>
        <translation>Text size</translation>
    </message>
    <message>
        <source>設定を保存</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>ゲートウェイへの登録</source>
        <translation>Enroll with the gateway</translation>
    </message>
    <message>
        <source>ゲートウェイのURL</source>
        <translation>Gateway URL</translation>
    </message>
    <message>
        <source>登録コード（1回限り）</source>
        <translation>Enrollment code (one-time)</translation>
    </message>
    <message>
        <source>この端末の名前</source>
        <translation>Name of this tablet</translation>
    </message>
    <message>
        <source>登録する</source>
        <translation>Enroll</translation>
    </message>
    <message>
        <source>自動（カードのあるリーダー）</source>
        <translation>Automatic (the reader with a card)</translation>
    </message>
    <message>
        <source>カードリーダー: %1</source>
        <translation>Card reader: %1</translation>
    </message>
    <message>
        <source>登録しています…</source>
        <translation>Enrolling…</translation>
    </message>
    <message>
        <source>登録できませんでした: %1</source>
        <translation>Enrollment failed: %1</translation>
    </message>
    <message>
        <source>✓ 登録しました: 端末ID %1（%2）</source>
        <translation>✓ Enrolled: device ID %1 (%2)</translation>
    </message>
    <message>
        <source> 分</source>
        <translation> min</translation>
    </message>
    <message>
        <source>操作がないときの自動ロック</source>
        <translation>Lock when not used for</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>たった今</source>
        <translation>just now</translation>
    </message>
    <message>
        <source>%1分前</source>
        <translation>%1 min ago</translation>
    </message>
    <message>
        <source>%1時間前</source>
        <translation>%1 h ago</translation>
    </message>
    <message>
        <source>%1日前</source>
        <translation>%1 days ago</translation>
    </message>
    <message>
        <source>送信状況</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>送信不可（要対応）の記録:</source>
        <translation>Records refused (action needed):</translation>
    </message>
    <message>
        <source>選んだ記録を再送する</source>
        <translation>Send the selected record again</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>今すぐ送信</source>
        <translation>Send now</translation>
    </message>
    <message>
        <source>待つのをやめました。送信中の処理は時間内に終わり、未送信の記録は次回送信されます。</source>
        <translation>Stopped waiting. The send in progress ends within its timeout; unsent records go next time.</translation>
    </message>
    <message>
        <source>ゲートウェイ: %1（端末ID %2）</source>
        <translation>Gateway: %1 (device ID %2)</translation>
    </message>
    <message>
        <source>ゲートウェイ未登録: 設定画面で登録してください</source>
        <translation>Not enrolled: enroll in Settings</translation>
    </message>
    <message>
        <source>送信待ち %1 ／ 送信中 %2 ／ 送信済み %3 ／ 送信不可 %4</source>
        <translation>Queued %1 / sending %2 / sent %3 / refused %4</translation>
    </message>
    <message>
        <source>最後に送信できた時刻: %1</source>
        <translation>Last successful send: %1</translation>
    </message>
    <message>
        <source>まだありません</source>
        <translation>not yet</translation>
    </message>
    <message>
        <source>
直近のエラー: %1</source>
        <translation>
Last error: %1</translation>
    </message>
    <message>
        <source>端末の時計がゲートウェイと %1 秒ずれています。時刻を確認してください。</source>
        <translation>The tablet clock differs from the gateway by %1 s. Check the time.</translation>
    </message>
    <message>
        <source>送信待ち %1</source>
        <translation>Queued %1</translation>
    </message>
    <message>
        <source>・最終送信 %1</source>
        <translation> · last sent %1</translation>
    </message>
    <message>
        <source>未送信</source>
        <translation>never</translation>
    </message>
    <message>
        <source> ⚠ 送信不可 %1</source>
        <translation> ⚠ %1 not sendable</translation>
    </message>
    <message>
        <source>送信しています…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>送信できません: %1</source>
        <translation>Cannot send: %1</translation>
    </message>
    <message>
        <source>途中で止まりました（%1）。%2 件を送信、残りは次回送信します。</source>
        <translation>Stopped part-way (%1). %2 sent; the rest goes next time.</translation>
    </message>
    <message>
        <source>再送する記録を選んでください</source>
        <translation>Choose a record to send again</translation>
    </message>
    <message>
        <source>再送待ちに戻しました。次の送信で送ります。</source>
        <translation>Requeued; it goes with the next send.</translation>
    </message>
    <message>
        <source>再送できませんでした</source>
        <translation>Could not requeue</translation>
    </message>
    <message>
        <source>✓ 送信しました: %1 件（うち以前に届いていたもの %2 件、送信不可 %3 件）、結果 %4 件を受信</source>
        <translation>✓ Sent %1 record(s) (%2 had already arrived, %3 refused); %4 result(s) received</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <source>在宅 — サインイン</source>
        <translation>zaitaku — sign in</translation>
    </message>
    <message>
        <source>端末の暗号化データを開くパスフレーズを入力してください。</source>
        <translation>Enter the passphrase that opens the tablet&apos;s encrypted data.</translation>
    </message>
    <message>
        <source>データファイル</source>
        <translation>Data file</translation>
    </message>
    <message>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>パスフレーズ（新規作成時に再入力）</source>
        <translation>Passphrase again (when creating)</translation>
    </message>
    <message>
        <source>新しく作成する</source>
        <translation>Create new</translation>
    </message>
    <message>
        <source>開く</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>データファイルがありません。新しい端末では「新しく作成する」を使ってください。</source>
        <translation>No data file. On a new tablet use &quot;Create new&quot;.</translation>
    </message>
    <message>
        <source>開いています…</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <source>パスフレーズが違います。</source>
        <translation>Wrong passphrase.</translation>
    </message>
    <message>
        <source>そのファイルは既にあります。「開く」を使ってください。</source>
        <translation>That file already exists. Use &quot;Open&quot;.</translation>
    </message>
    <message>
        <source>パスフレーズは12文字以上で、2回同じものを入力してください。</source>
        <translation>Enter a passphrase of at least 12 characters, the same twice.</translation>
    </message>
    <message>
        <source>作成しています…</source>
        <translation>Creating…</translation>
    </message>
    <message>
        <source>職員IDとご自身の暗証番号（またはパスワード）、端末の暗号化データを開くパスフレーズを入力してください。</source>
        <translation>Enter your staff ID, your own PIN (or password) and the passphrase that opens this tablet's encrypted data.</translation>
    </message>
    <message>
        <source>職員ID</source>
        <translation>Staff ID</translation>
    </message>
    <message>
        <source>職員IDを入力してください（英数字と - _ . の2〜32文字）。</source>
        <translation>Enter your staff ID (2 to 32 letters, digits, - _ .).</translation>
    </message>
    <message>
        <source>職員の暗証番号・パスワード</source>
        <translation>Your staff PIN or password</translation>
    </message>
    <message>
        <source>間違いが続いたため、しばらく待ってからやり直してください。</source>
        <translation>Too many wrong tries: wait a while, then try again.</translation>
    </message>
    <message>
        <source>職員IDまたは暗証番号・パスワードが違います。</source>
        <translation>Wrong staff ID or PIN/password.</translation>
    </message>
</context>
<context>
    <name>VisitPage</name>
    <message>
        <source>カード</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>本人確認</source>
        <translation>Identity</translation>
    </message>
    <message>
        <source>同意</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>完了</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>処理しています…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>中止（記録しない）</source>
        <translation>Cancel (record nothing)</translation>
    </message>
    <message>
        <source>訪問の中止</source>
        <translation>Cancel the visit</translation>
    </message>
    <message>
        <source>この訪問を中止しますか？ 何も記録されません。</source>
        <translation>Cancel this visit? Nothing will be recorded.</translation>
    </message>
    <message>
        <source>初回訪問</source>
        <translation>First visit</translation>
    </message>
    <message>
        <source>再訪問</source>
        <translation>Revisit</translation>
    </message>
    <message>
        <source>代替手段による確認</source>
        <translation>Fallback confirmation</translation>
    </message>
    <message>
        <source>中止しています…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>（暗証番号の残り %1 回）</source>
        <translation> (PIN tries left: %1)</translation>
    </message>
    <message>
        <source>記録できませんでした</source>
        <translation>Could not record</translation>
    </message>
    <message>
        <source>記録を保存できませんでした: %1
もう一度保存しますか？（いいえ: 記録しません）</source>
        <translation>The record could not be saved: %1
Try again? (No: nothing is recorded)</translation>
    </message>
</context>
<context>
    <name>VisualPanel</name>
    <message>
        <source>目視確認: カードの顔写真とご本人を見比べてください</source>
        <translation>Visual check: compare the card photo with the person</translation>
    </message>
    <message>
        <source>確認した職員</source>
        <translation>Confirmed by (staff)</translation>
    </message>
    <message>
        <source>目視確認の理由</source>
        <translation>Reason for the visual check</translation>
    </message>
    <message>
        <source>戻る</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>写真と一致しない</source>
        <translation>Does not match the photo</translation>
    </message>
    <message>
        <source>本人であることを確認しました</source>
        <translation>Identity confirmed</translation>
    </message>
    <message>
        <source>確認した職員を入力してください</source>
        <translation>Enter the staff member who confirmed</translation>
    </message>
    <message>
        <source>職員がサインインしていません</source>
        <translation>No staff member is signed in</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <source>1文字消す</source>
        <translation>Delete</translation>
    </message>
</context>
</TS>
